using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Kafka.Internal;
using OneStop.Hub.State;
using RocksDbSharp;

namespace OneStop.Hub.Kafka.State;

/// <summary>
/// One state table: a compacted topic materialised into the local store by a dedicated reader thread, which
/// applies records in batches together with the offsets they reach (one atomic RocksDB write), so the checkpoint
/// never runs ahead of, or behind, the data. At start it resumes from the checkpoint.
/// </summary>
internal sealed partial class KafkaStateTable : IStateTable
{
    public const string VersionHeader = "v";

    private readonly RocksStateFiles _files;
    private readonly KafkaCluster _cluster;
    private readonly GroupCommitProducer _producer;
    private readonly WatermarkProbe _probe;
    private readonly ILogger _logger;
    private readonly Lock _apply = new();
    private readonly ConcurrentDictionary<int, long> _positions = new();
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _dataPrefix;
    private int _partitionCount;
    private Thread? _reader;

    public KafkaStateTable(string name, string topic, RocksStateFiles files, KafkaCluster cluster, GroupCommitProducer producer, WatermarkProbe probe, ILogger logger)
    {
        Name = name;
        Topic = topic;
        _files = files;
        _cluster = cluster;
        _producer = producer;
        _probe = probe;
        _logger = logger;
        _dataPrefix = $"d\0{name}\0";
    }

    public string Name { get; }

    public string Topic { get; }

    public string? Problem { get; private set; }

    /// <summary>Completes when the table has read its log up to where it ended at start.</summary>
    public Task Restored => _restored.Task;

    public StateEntry? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _files.GetEntry(RocksStateFiles.DataKey(Name, key), key) is { IsDeleted: false } e ? e : null;
    }

    public IEnumerable<StateEntry> Scan(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        foreach (var (key, value) in _files.Scan(RocksStateFiles.DataPrefix(Name, keyPrefix)))
        {
            var entry = RocksStateFiles.Decode(Encoding.UTF8.GetString(key.AsSpan(Encoding.UTF8.GetByteCount(_dataPrefix))), value);
            if (!entry.IsDeleted)
            {
                yield return entry;
            }
        }
    }

    public async Task WriteAsync(IReadOnlyCollection<StateEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        // All enqueued at once: the group-commit writer sends them in shared requests, so a batch costs about one round trip.
        var sends = entries.Select(e => _producer.ProduceAsync(Topic, new Message<string, byte[]?>
        {
            Key = e.Key,
            Value = e.Value,
            Headers = [new Header(VersionHeader, EncodeVersion(e.Version))],
        }, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(sends).ConfigureAwait(false);
        }
        catch (ProduceException<string, byte[]?> e)
        {
            throw new HubException(HubErrorKind.Unavailable, $"state table {Name}: Kafka did not acknowledge a write ({e.Error.Code})");
        }

        using var batch = new WriteBatch();
        lock (_apply)
        {
            var pending = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                Stage(batch, pending, e.Key, e.Version, e.Value);
            }

            _files.Write(batch);
        }
    }

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        var nextReport = started + 10_000;
        while (!_restored.Task.IsCompleted)
        {
            await Task.WhenAny(_restored.Task, Task.Delay(1000, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (Environment.TickCount64 > nextReport)
            {
                LogCatchingUp(Name, "restore", (Environment.TickCount64 - started) / 1000, Positions(null));
                nextReport += 10_000;
            }
        }

        await _restored.Task.ConfigureAwait(false);
        var targets = HighWatermarks();
        while (targets.Any(t => _positions.GetValueOrDefault(t.Key) < t.Value))
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            if (Environment.TickCount64 > nextReport)
            {
                LogCatchingUp(Name, "catch-up", (Environment.TickCount64 - started) / 1000, Positions(targets));
                nextReport += 10_000;
            }
        }
    }

    private string Positions(Dictionary<int, long>? targets) =>
        string.Join(",", _positions.OrderBy(p => p.Key).Select(p => targets is null ? $"{p.Key}@{p.Value}" : $"{p.Key}@{p.Value}/{targets.GetValueOrDefault(p.Key)}"));

    /// <summary>Starts the reader thread: checks the store belongs to this log, then resumes from the checkpoint.</summary>
    public void Start(CancellationToken stoppingToken)
    {
        _reader = new Thread(() => Run(stoppingToken)) { IsBackground = true, Name = $"state-{Name}" };
        _reader.Start();
    }

    public void Join(TimeSpan timeout) => _reader?.Join(timeout);

    private Dictionary<int, long> HighWatermarks() =>
        Enumerable.Range(0, _partitionCount).ToDictionary(p => p, p => _probe.High(new TopicPartition(Topic, p), TimeSpan.FromSeconds(10)));

    private void Run(CancellationToken stoppingToken)
    {
        try
        {
            RunReader(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
        {
            // the store closed while this reader was still finishing a call to Kafka: the instance is stopping
        }
        catch (Exception e) when (e is KafkaException or RocksDbException or InvalidOperationException)
        {
            Problem = $"reader stopped: {e.Message}";
            LogReaderFailed(e, Name);
            _restored.TrySetException(e);
        }
    }

    private void RunReader(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]?>(new ConsumerConfig(_cluster.StateConsumerConfig())
        {
            GroupId = $"onestop-state-{Guid.NewGuid():N}", // assigned, never commits: the checkpoint lives in the local store
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Error, // a checkpoint below the log start is reported, never silently skipped
            AllowAutoCreateTopics = true,
        }).Build();

        var start = Resume(consumer);
        consumer.Assign(start);
        var restoreTargets = HighWatermarks();
        LogResumed(Name, Topic, string.Join(",", start.Select(s => $"{s.Partition.Value}@{s.Offset.Value}")), _files.Path);
        CheckRestored(restoreTargets);

        var batchRecords = new List<ConsumeResult<string, byte[]?>>(1024);
        while (!stoppingToken.IsCancellationRequested)
        {
            batchRecords.Clear();
            try
            {
                var first = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (first is not null && !first.IsPartitionEOF)
                {
                    batchRecords.Add(first);
                    while (batchRecords.Count < 1024 && consumer.Consume(TimeSpan.Zero) is { IsPartitionEOF: false } next)
                    {
                        batchRecords.Add(next);
                    }
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset || e.Error.Code == ErrorCode.OffsetOutOfRange)
            {
                SkipLost(consumer, e);
            }
            catch (ConsumeException e)
            {
                LogConsumeError(Name, e.Error.Reason);
            }

            if (batchRecords.Count > 0)
            {
                ApplyFromLog(batchRecords);
            }

            CheckRestored(restoreTargets);
        }

        consumer.Close();
    }

    private void CheckRestored(Dictionary<int, long> targets)
    {
        if (!_restored.Task.IsCompleted && targets.All(t => _positions.GetValueOrDefault(t.Key) >= t.Value))
        {
            _restored.TrySetResult();
        }
    }

    /// <summary>Start positions: the checkpoint, after making sure it belongs to this log; otherwise a rebuild from the beginning.</summary>
    private List<TopicPartitionOffset> Resume(IConsumer<string, byte[]?> consumer)
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig(_cluster.ClientConfig())).Build())
        {
            // A metadata request creates the topic (auto-create) when it does not exist yet.
            _partitionCount = admin.GetMetadata(Topic, TimeSpan.FromSeconds(15)).Topics.Single().Partitions.Count;
        }

        var identity = Encoding.UTF8.GetBytes($"{_cluster.BootstrapServers}|{Topic}|{_partitionCount}");
        var stored = _files.Get(RocksStateFiles.IdentityKey(Name));
        var reason = stored is null ? null : !stored.AsSpan().SequenceEqual(identity) ? "it was built from another cluster or topic" : null;
        if (reason is null && stored is not null)
        {
            for (var p = 0; p < _partitionCount; p++)
            {
                var wm = consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(10));
                if (_files.ReadOffset(Name, p) is { } checkpoint && checkpoint > wm.High.Value)
                {
                    reason = $"its checkpoint {p}@{checkpoint} is beyond the end of the log ({wm.High.Value}): the topic was recreated";
                    break;
                }
            }
        }

        if (reason is not null)
        {
            LogRebuild(Name, reason);
            _files.Clear(Name);
            stored = null;
        }

        if (stored is null)
        {
            using var batch = new WriteBatch();
            batch.Put(RocksStateFiles.IdentityKey(Name), identity);
            _files.Write(batch);
        }

        var start = new List<TopicPartitionOffset>();
        for (var p = 0; p < _partitionCount; p++)
        {
            var offset = _files.ReadOffset(Name, p) ?? 0;
            _positions[p] = offset;
            start.Add(new TopicPartitionOffset(Topic, p, offset == 0 ? Offset.Beginning : new Offset(offset)));
        }

        return start;
    }

    /// <summary>The log no longer holds records this table had not read: say so loudly, then continue from the log start.</summary>
    private void SkipLost(IConsumer<string, byte[]?> consumer, ConsumeException e)
    {
        var tp = e.ConsumerRecord?.TopicPartition ?? consumer.Assignment.FirstOrDefault(a => _positions.ContainsKey(a.Partition.Value));
        if (tp is null)
        {
            LogConsumeError(Name, e.Error.Reason);
            return;
        }

        var low = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).Low.Value;
        var from = _positions.GetValueOrDefault(tp.Partition.Value);
        Problem = $"records {from}..{low - 1} of {tp.Topic}/{tp.Partition.Value} were removed from the log before this instance read them";
        LogLost(Name, tp.Topic, tp.Partition.Value, from, low);
        consumer.Seek(new TopicPartitionOffset(tp, new Offset(low)));
    }

    private void ApplyFromLog(List<ConsumeResult<string, byte[]?>> records)
    {
        using var batch = new WriteBatch();
        var reached = new Dictionary<int, long>();
        lock (_apply)
        {
            var pending = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var cr in records)
            {
                if (cr.Message.Key is { } key)
                {
                    var version = cr.Message.Headers?.TryGetLastBytes(VersionHeader, out var v) == true && v.Length == 8
                        ? BinaryPrimitives.ReadInt64BigEndian(v)
                        : 0;
                    Stage(batch, pending, key, version, cr.Message.Value);
                }

                reached[cr.Partition.Value] = cr.Offset.Value + 1;
            }

            foreach (var (partition, next) in reached)
            {
                batch.Put(RocksStateFiles.OffsetKey(Name, partition), RocksStateFiles.EncodeOffset(next));
            }

            _files.Write(batch);
        }

        foreach (var (partition, next) in reached)
        {
            _positions[partition] = next;
        }
    }

    /// <summary>Adds the entry to the batch only when it is newer than what the store (or this batch) holds for the key.</summary>
    private void Stage(WriteBatch batch, Dictionary<string, long> pending, string key, long version, byte[]? value)
    {
        var dataKey = RocksStateFiles.DataKey(Name, key);
        var current = pending.TryGetValue(key, out var staged) ? staged
            : _files.GetVersion(dataKey) ?? long.MinValue;
        if (version <= current)
        {
            return; // an older (or the same) write read back: it never replaces a newer one
        }

        batch.Put(dataKey, RocksStateFiles.Encode(version, value));
        pending[key] = version;
    }

    private static byte[] EncodeVersion(long version)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, version);
        return b;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "State table {Table}: reading {Topic} from checkpoint {Positions} (store {Path})")]
    private partial void LogResumed(string table, string topic, string positions, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State table {Table}: local store rebuilt from the log because {Reason}")]
    private partial void LogRebuild(string table, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "State table {Table}: records {From}..{LogStart} of {Topic}/{Partition} were removed from the log before they were read; the table may miss their keys")]
    private partial void LogLost(string table, string topic, int partition, long from, long logStart);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State table {Table}: consume error {Reason}")]
    private partial void LogConsumeError(string table, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State table {Table}: {Phase} still waiting after {Seconds} s (partition@position/target: {Positions})")]
    private partial void LogCatchingUp(string table, string phase, long seconds, string positions);

    [LoggerMessage(Level = LogLevel.Error, Message = "State table {Table}: reader stopped")]
    private partial void LogReaderFailed(Exception exception, string table);
}
