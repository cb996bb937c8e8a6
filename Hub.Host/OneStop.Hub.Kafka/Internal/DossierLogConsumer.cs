using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>What a <see cref="DossierLogConsumer"/> hands records to: a destination's delivery rules, or the dossier indexer.</summary>
internal interface IDossierLogHandler
{
    /// <summary>Destination name (or <c>index</c>): names the consumer group, logs and metrics.</summary>
    string Name { get; }

    /// <summary>Called after partitions are assigned and before their first record: read the previous owner's last state.</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);

    /// <summary>Handles one record; null when done, or how long to wait before handing the same record over again.</summary>
    Task<TimeSpan?> HandleAsync(DossierLogRecord record, long offset, CancellationToken cancellationToken);

    /// <summary>Cancelled when records waiting out a retry backoff should be handed over at once (the destination is back).</summary>
    CancellationToken RetryNow { get; }
}

/// <summary>
/// Consumes the dossier log for one handler in the handler's consumer group and moves only bytes and positions:
/// <list type="bullet">
/// <item>Per-dossier lanes: records with the same key (ma_ho_so) are handled one at a time in log order; different
/// dossiers run concurrently (at most <c>Delivery:MaxConcurrency</c> handler calls at once). A dossier waiting for a
/// retry waits in its own lane; the others flow.</item>
/// <item>Positions: a partition's offset is stored only up to the first record not yet handled, so every record
/// before it has its checkpoint and evidence durable (the handler awaits them) before the committed offset moves.</item>
/// <item>No silent skip: <c>auto.offset.reset</c> is <c>error</c>. A committed offset below the log start (records
/// removed before they were handled) stops that partition, marks the destination unhealthy, logs an ERROR and
/// writes evidence naming the topic, partition and offsets lost. Moving past them is an operator's decision.</item>
/// </list>
/// </summary>
internal sealed partial class DossierLogConsumer
{
    private readonly IDossierLogHandler _handler;
    private readonly KafkaCluster _cluster;
    private readonly KafkaTopics _topics;
    private readonly KafkaOptions _kafka;
    private readonly int _maxConcurrency;
    private readonly IEvidenceRecorder _evidence;
    private readonly DeliveryHealth _health;
    private readonly Dossiers.Delivery.DeliveryMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(TopicPartition Tp, long Offset)> _completed = new();
    private readonly Dictionary<TopicPartition, PartitionTrack> _tracks = [];
    private readonly HashSet<TopicPartition> _gaps = [];
    private readonly int _maxInFlight;
    private int _inFlight;
    private bool _throttled;
    private volatile bool _needsCatchUp = true;
    private DateTimeOffset _nextGauges;
    private readonly ConsumerAssignments? _assignments;

    // The trace context each dispatched record carried (W3C headers), taken up when its lane handles it.
    private readonly ConcurrentDictionary<(TopicPartition, long), ActivityContext> _traceParents = new();

    public DossierLogConsumer(
        IDossierLogHandler handler, KafkaCluster cluster, KafkaTopics topics, KafkaOptions kafka, int maxConcurrency, IEvidenceRecorder evidence,
        DeliveryHealth health, Dossiers.Delivery.DeliveryMetrics? metrics, TimeProvider time, ConsumerAssignments? assignments, ILogger logger)
    {
        _assignments = assignments;
        _handler = handler;
        _cluster = cluster;
        _topics = topics;
        _kafka = kafka;
        _maxConcurrency = maxConcurrency;
        _evidence = evidence;
        _health = health;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(maxConcurrency);
        _maxInFlight = maxConcurrency * 8;
    }

    public string Name => _handler.Name;

    /// <summary>The consume loop, on a dedicated thread (it blocks in Consume).</summary>
    public void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(_cluster.ConsumerConfig())
        {
            GroupId = _topics.DeliveryGroup(Name),
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = 500,
            AutoOffsetReset = AutoOffsetReset.Error,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = _kafka.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(1000, _kafka.SessionTimeoutMs / 5),
            AllowAutoCreateTopics = true,
        })
        .SetPartitionsAssignedHandler((c, assigned) => OnAssigned(c, assigned))
        .SetPartitionsRevokedHandler((c, revoked) => OnRevoked(c, [.. revoked.Select(r => r.TopicPartition)]))
        .SetPartitionsLostHandler((c, lost) => OnRevoked(c, [.. lost.Select(r => r.TopicPartition)], lost: true))
        .Build();

        consumer.Subscribe(_topics.DossierEvents);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                StoreCompleted(consumer);
                Throttle(consumer);
                ReportGauges(consumer);
                var cr = Consume(consumer);
                if (cr is null || _gaps.Contains(cr.TopicPartition) || !_tracks.ContainsKey(cr.TopicPartition))
                {
                    continue;
                }

                if (_needsCatchUp)
                {
                    // The previous owner of these partitions wrote its last checkpoints before it let them go.
                    _handler.CatchUpAsync(stoppingToken).GetAwaiter().GetResult();
                    _needsCatchUp = false;
                }

                Dispatch(cr, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            WaitForLanes(_tracks.Keys.ToList(), TimeSpan.FromSeconds(10));
            StoreCompleted(consumer);
            try
            {
                consumer.Commit();
            }
            catch (KafkaException)
            {
                // Nothing stored since the last commit, or the group is gone: the checkpoints cover it.
            }

            consumer.Close();
        }
    }

    private ConsumeResult<string, byte[]>? Consume(IConsumer<string, byte[]> consumer)
    {
        try
        {
            // While throttled nothing arrives: come back soon to resume as the lanes free up.
            return consumer.Consume(TimeSpan.FromMilliseconds(_throttled ? 5 : 100));
        }
        catch (ConsumeException e) when (e.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange)
        {
            // The position is outside the log: with reset=error librdkafka stops the partition and tells us.
            var tp = e.ConsumerRecord?.TopicPartition;
            if (tp is not null && !_gaps.Contains(tp))
            {
                var low = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).Low.Value;
                var committed = consumer.Committed([tp], TimeSpan.FromSeconds(10)).FirstOrDefault()?.Offset.Value ?? -1;
                ReportGap(consumer, tp, committed, low);
            }
            else if (tp is null)
            {
                LogConsumeError(Name, e.Error.Reason);
            }

            return null;
        }
        catch (ConsumeException e)
        {
            LogConsumeError(Name, e.Error.Reason);
            return null;
        }
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<string, byte[]> consumer, List<TopicPartition> assigned)
    {
        _needsCatchUp = true;
        LogAssigned(Name, string.Join(",", assigned.Select(p => p.Partition.Value)));
        _assignments?.Assigned(Name, assigned.Count);
        var committed = consumer.Committed(assigned, TimeSpan.FromSeconds(10)).ToDictionary(c => c.TopicPartition, c => c.Offset);
        var start = new List<TopicPartitionOffset>();
        foreach (var tp in assigned)
        {
            var offset = committed.GetValueOrDefault(tp, Offset.Unset);
            var low = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).Low.Value;
            _tracks[tp] = new PartitionTrack();
            if (offset.Value >= 0 && offset.Value < low)
            {
                ReportGap(consumer, tp, offset.Value, low);
                start.Add(new TopicPartitionOffset(tp, offset)); // stays there: the partition is paused until an operator decides
            }
            else
            {
                // Never committed: a new group starts at the beginning of the log, so no accepted event is passed over.
                start.Add(new TopicPartitionOffset(tp, offset.Value >= 0 ? offset : Offset.Beginning));
            }
        }

        return start;
    }

    private void OnRevoked(IConsumer<string, byte[]> consumer, List<TopicPartition> revoked, bool lost = false)
    {
        // Let deliveries in progress finish (no new side effect starts, retry waits are cut short), then store and
        // commit how far each partition got, so the next owner starts right after the last checkpoint.
        foreach (var lane in LanesOf(revoked))
        {
            lane.Revoked.Cancel();
        }

        WaitForLanes(revoked, TimeSpan.FromSeconds(30));
        StoreCompleted(consumer);
        if (!lost)
        {
            var offsets = revoked.Where(_tracks.ContainsKey).Select(tp => _tracks[tp].Committable is { } o ? new TopicPartitionOffset(tp, o) : null)
                .OfType<TopicPartitionOffset>().ToList();
            try
            {
                if (offsets.Count > 0)
                {
                    consumer.Commit(offsets);
                }
            }
            catch (KafkaException e)
            {
                LogConsumeError(Name, $"commit on revoke: {e.Error.Reason}");
            }
        }

        foreach (var tp in revoked)
        {
            if (_tracks.Remove(tp, out var track))
            {
                Interlocked.Add(ref _inFlight, -track.PendingCount); // handed over unhandled: the next owner handles them
            }

            if (_gaps.Remove(tp))
            {
                _health.Clear(Name, tp.ToString());
            }
        }

        if (_tracks.Keys.All(tp => !_gaps.Contains(tp)))
        {
            _metrics?.SetLogGap(Name, _gaps.Count > 0);
        }

        LogRevoked(Name, string.Join(",", revoked.Select(p => p.Partition.Value)));
    }

    private List<Lane> LanesOf(List<TopicPartition> partitions)
    {
        lock (_lanes)
        {
            return [.. _lanes.Values.Where(l => partitions.Contains(l.Partition))];
        }
    }

    private void WaitForLanes(List<TopicPartition> partitions, TimeSpan timeout)
    {
        var tasks = LanesOf(partitions).Select(l => l.Running).OfType<Task>().ToArray();
        try
        {
            Task.WaitAll(tasks, timeout);
        }
        catch (AggregateException)
        {
            // a lane ended with the host stopping: its records stay uncommitted and are handled again
        }
    }

    private void Dispatch(ConsumeResult<string, byte[]> cr, CancellationToken stoppingToken)
    {
        DossierLogRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(cr.Message.Value, KafkaJson.Default.DossierLogRecord);
        }
        catch (JsonException ex)
        {
            LogUnreadable(Name, cr.Partition.Value, cr.Offset.Value, ex.Message);
            record = null;
        }

        var track = _tracks[cr.TopicPartition];
        track.Dispatched(cr.Offset.Value);
        if (record is not null && KafkaTracing.Extract(cr.Message.Headers) is { TraceId: var traceId } parent && traceId != default)
        {
            _traceParents[(cr.TopicPartition, cr.Offset.Value)] = parent;
        }

        Interlocked.Increment(ref _inFlight);
        if (record is null)
        {
            _completed.Enqueue((cr.TopicPartition, cr.Offset.Value));
            return;
        }

        var key = cr.Message.Key ?? "";
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(key, out var lane))
            {
                lane = new Lane(key, cr.TopicPartition);
                _lanes[key] = lane;
            }

            lane.Queue.Enqueue((record, cr.Offset.Value));
            if (lane.Running is null)
            {
                lane.Running = Task.Run(() => RunLaneAsync(lane, stoppingToken), CancellationToken.None);
            }
        }
    }

    /// <summary>Handles one dossier's records in order until its queue is empty; only this dossier waits for its retries.</summary>
    private async Task RunLaneAsync(Lane lane, CancellationToken stoppingToken)
    {
        while (true)
        {
            (DossierLogRecord Record, long Offset) next;
            lock (_lanes)
            {
                if (lane.Revoked.IsCancellationRequested || !lane.Queue.TryPeek(out next))
                {
                    _lanes.Remove(lane.Key);
                    lane.Running = null;
                    return;
                }
            }

            var failed = false;
            try
            {
                while (true)
                {
                    TimeSpan? retryIn;
                    await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    try
                    {
                        _traceParents.TryGetValue((lane.Partition, next.Offset), out var parent);
                        using var span = KafkaTracing.StartProcess(_topics.DossierEvents, lane.Partition.Partition.Value, next.Offset, Name, parent);
                        retryIn = await _handler.HandleAsync(next.Record, next.Offset, stoppingToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _slots.Release();
                    }

                    if (retryIn is not { } wait)
                    {
                        break;
                    }

                    var retryNow = _handler.RetryNow;
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lane.Revoked.Token, retryNow);
                    try
                    {
                        await Task.Delay(wait, _time, both.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (retryNow.IsCancellationRequested && !stoppingToken.IsCancellationRequested && !lane.Revoked.IsCancellationRequested)
                    {
                        // the destination is back: try this dossier's record now rather than at the end of its backoff
                    }
                }
            }
            catch (OperationCanceledException)
            {
                lock (_lanes)
                {
                    _lanes.Remove(lane.Key);
                    lane.Running = null;
                }

                return; // stopping, or the partition went to another instance: the record stays uncommitted
            }
            catch (HubException e)
            {
                // Kafka did not take a checkpoint or the state is unavailable: try the same record again shortly.
                LogHandlerFailed(Name, e.Message);
                failed = true;
            }

            if (failed)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    lock (_lanes)
                    {
                        _lanes.Remove(lane.Key);
                        lane.Running = null;
                    }

                    return;
                }
            }

            lock (_lanes)
            {
                lane.Queue.Dequeue();
            }

            _traceParents.TryRemove((lane.Partition, next.Offset), out _);
            _completed.Enqueue((lane.Partition, next.Offset));
        }
    }

    private void StoreCompleted(IConsumer<string, byte[]> consumer)
    {
        if (_completed.IsEmpty)
        {
            return; // called before every consume: most calls find nothing new
        }

        var moved = new HashSet<TopicPartition>();
        while (_completed.TryDequeue(out var done))
        {
            if (_tracks.TryGetValue(done.Tp, out var track) && track.Completed(done.Offset))
            {
                Interlocked.Decrement(ref _inFlight);
                moved.Add(done.Tp);
            }
        }

        foreach (var tp in moved)
        {
            if (_tracks[tp].Committable is { } offset)
            {
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(tp, offset));
                }
                catch (KafkaException)
                {
                    // the partition was revoked meanwhile
                }
            }
        }
    }

    /// <summary>Back-pressure: with too many records in flight, stop fetching (while still polling, so the group keeps us).</summary>
    private void Throttle(IConsumer<string, byte[]> consumer)
    {
        var full = Volatile.Read(ref _inFlight) >= _maxInFlight;
        if (full && !_throttled)
        {
            consumer.Pause(consumer.Assignment);
            _throttled = true;
        }
        else if (!full && _throttled)
        {
            consumer.Resume(consumer.Assignment.Where(tp => !_gaps.Contains(tp)));
            _throttled = false;
        }
    }

    private void ReportGap(IConsumer<string, byte[]> consumer, TopicPartition tp, long committed, long logStart)
    {
        if (!_gaps.Add(tp))
        {
            return;
        }

        var lost = $"{tp.Topic}/{tp.Partition.Value} offsets {committed}..{logStart - 1}";
        LogGap(Name, tp.Topic, tp.Partition.Value, committed, logStart - 1);
        _health.Report(Name, tp.ToString(), $"records {lost} were removed from the log before they were delivered; delivery of that partition is stopped until an operator decides");
        _metrics?.SetLogGap(Name, true);
        try
        {
            consumer.Pause([tp]);
        }
        catch (KafkaException)
        {
            // not assigned yet (called from the assignment handler): paused by the consume loop
        }

        _ = _evidence.RecordAsync(new ExchangeRecord
        {
            Client = "hub",
            Operation = $"LogGap/{Name}",
            Time = _time.GetUtcNow(),
            Outcome = "records_lost",
            Upstream = Name,
            RequestId = lost,
        }, CancellationToken.None).AsTask();
    }

    private void ReportGauges(IConsumer<string, byte[]> consumer)
    {
        var now = _time.GetUtcNow();
        if (now < _nextGauges || _metrics is null)
        {
            return;
        }

        _nextGauges = now + TimeSpan.FromSeconds(5);
        long lag = 0;
        foreach (var tp in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(tp).High.Value;
            var position = _tracks.TryGetValue(tp, out var t) && t.Committable is { } c ? c : -1;
            if (high >= 0 && position >= 0)
            {
                lag += Math.Max(0, high - position);
            }
        }

        _metrics.SetLag(Name, lag);
        foreach (var tp in _gaps.Where(consumer.Assignment.Contains))
        {
            consumer.Pause([tp]);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Destination}: partitions {Partitions} assigned")]
    private partial void LogAssigned(string destination, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Destination}: partitions {Partitions} revoked")]
    private partial void LogRevoked(string destination, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Destination}: consume error {Reason}")]
    private partial void LogConsumeError(string destination, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Destination}: {Reason}; the record is handled again")]
    private partial void LogHandlerFailed(string destination, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {Destination}: unreadable record {Partition}@{Offset} skipped: {Reason}")]
    private partial void LogUnreadable(string destination, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Delivery to {Destination}: records {Topic}/{Partition} offsets {From}..{To} were removed from the log before they were delivered. The partition is stopped; the destination is unhealthy until an operator decides (see docs/operations.md)")]
    private partial void LogGap(string destination, string topic, int partition, long from, long to);

    /// <summary>Offsets of one partition: dispatched ones not yet completed, and the next after the highest dispatched.</summary>
    private sealed class PartitionTrack
    {
        private readonly SortedSet<long> _pending = [];
        private long _next = -1;

        /// <summary>The offset to commit: the first record not yet handled (every record before it is done).</summary>
        public long? Committable => _pending.Count > 0 ? _pending.Min : _next >= 0 ? _next : null;

        public void Dispatched(long offset)
        {
            _pending.Add(offset);
            _next = Math.Max(_next, offset + 1);
        }

        public int PendingCount => _pending.Count;

        public bool Completed(long offset) => _pending.Remove(offset);
    }

    private sealed class Lane(string key, TopicPartition partition)
    {
        public string Key { get; } = key;

        public TopicPartition Partition { get; } = partition;

        public Queue<(DossierLogRecord Record, long Offset)> Queue { get; } = new();

        public CancellationTokenSource Revoked { get; } = new();

        public Task? Running { get; set; }
    }
}

/// <summary>Destinations that cannot deliver for a reason an operator must see (readiness): e.g. records lost from the log.</summary>
internal sealed class DeliveryHealth
{
    private readonly ConcurrentDictionary<(string Destination, string Where), string> _problems = new();

    public void Report(string destination, string where, string problem) => _problems[(destination, where)] = problem;

    public void Clear(string destination, string where) => _problems.TryRemove((destination, where), out _);

    public IReadOnlyList<string> Problems => [.. _problems.Select(p => $"{p.Key.Destination}: {p.Value}")];
}
