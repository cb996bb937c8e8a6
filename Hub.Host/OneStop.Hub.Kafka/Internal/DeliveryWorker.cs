using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// Delivers dossier events to one destination. Every hub instance runs one per destination, all in the
/// destination's consumer group, so Kafka shares the partitions between instances.
/// <list type="bullet">
/// <item>Order: a partition is processed in order; a transient failure pauses the partition and seeks back, so
/// nothing behind the failed event overtakes it.</item>
/// <item>Effectively once: the delivery state (delivered event ids) is written to Kafka before the offset moves;
/// a delivered event is never delivered again, and the adapter's idempotency key covers a crash in between.</item>
/// <item>Parking: an event the destination keeps refusing parks its dossier; the dossier's later events queue
/// behind it, every other dossier flows, and a replay request delivers the queue in order.</item>
/// </list>
/// </summary>
internal sealed partial class DeliveryWorker(
    IDeliveryAdapter adapter,
    KafkaCluster cluster,
    KafkaTopics topics,
    KafkaOptionsSnapshot options,
    DossierProjection projection,
    KafkaDossierEventLog log,
    IEvidenceRecorder evidence,
    TimeProvider time,
    ILogger logger)
{
    private readonly Dictionary<TopicPartition, DateTimeOffset> _resumeAt = [];
    private readonly Dictionary<string, Attempts> _attempts = new(StringComparer.Ordinal);
    private volatile bool _needsCatchUp = true;

    public string Destination => adapter.Destination;

    /// <summary>
    /// The consume loop. It runs on a dedicated thread and blocks it (in Consume, and while a delivery is awaited):
    /// a loop like this on a thread-pool thread would hold that thread for ever and starve the pool.
    /// </summary>
    public void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(cluster.ClientConfig())
        {
            GroupId = topics.DeliveryGroup(Destination),
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = 500,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = options.Kafka.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(1000, options.Kafka.SessionTimeoutMs / 5),
            AllowAutoCreateTopics = true,
        })
        .SetPartitionsAssignedHandler((_, assigned) =>
        {
            _needsCatchUp = true;
            LogAssigned(Destination, string.Join(",", assigned.Select(p => p.Partition.Value)));
        })
        .SetPartitionsRevokedHandler((c, revoked) =>
        {
            foreach (var tp in revoked)
            {
                _resumeAt.Remove(tp.TopicPartition);
            }
        })
        .Build();

        consumer.Subscribe(topics.DossierEvents);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ResumeDuePartitions(consumer);
                var cr = Consume(consumer);
                if (cr is null)
                {
                    continue;
                }

                if (_needsCatchUp)
                {
                    // The previous owner of these partitions may have written checkpoints just before it went away.
                    projection.CatchUpAsync(topics.DeliveryState, stoppingToken).GetAwaiter().GetResult();
                    _needsCatchUp = false;
                }

                var retryIn = ProcessAsync(cr, stoppingToken).GetAwaiter().GetResult();
                if (retryIn is { } delay)
                {
                    consumer.Pause([cr.TopicPartition]);
                    consumer.Seek(cr.TopicPartitionOffset);
                    _resumeAt[cr.TopicPartition] = time.GetUtcNow() + delay;
                }
                else
                {
                    consumer.StoreOffset(cr);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            try
            {
                consumer.Commit();
            }
            catch (KafkaException)
            {
                // Nothing stored since the last commit, or the group is gone: the checkpoints in Kafka cover it.
            }

            consumer.Close();
        }
    }

    private ConsumeResult<string, byte[]>? Consume(IConsumer<string, byte[]> consumer)
    {
        try
        {
            return consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
        catch (ConsumeException e)
        {
            LogConsumeError(Destination, e.Error.Reason);
            return null;
        }
    }

    private void ResumeDuePartitions(IConsumer<string, byte[]> consumer)
    {
        if (_resumeAt.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var due = _resumeAt.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList();
        if (due.Count > 0)
        {
            consumer.Resume(due);
            foreach (var tp in due)
            {
                _resumeAt.Remove(tp);
            }
        }
    }

    /// <summary>Handles one record; returns a delay when it must be tried again (the partition waits), null when done.</summary>
    private async Task<TimeSpan?> ProcessAsync(ConsumeResult<string, byte[]> cr, CancellationToken ct)
    {
        DossierLogRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(cr.Message.Value, KafkaJson.Default.DossierLogRecord);
        }
        catch (JsonException ex)
        {
            LogUnreadable(Destination, cr.Partition.Value, cr.Offset.Value, ex.Message);
            return null;
        }

        if (record?.Event is { } e)
        {
            return await HandleEventAsync(e, ct).ConfigureAwait(false);
        }

        if (record?.Replay is { } replay && replay.Destination == Destination)
        {
            return await HandleReplayAsync(replay, ct).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<TimeSpan?> HandleEventAsync(DossierEvent e, CancellationToken ct)
    {
        projection.Apply(e);
        var state = projection.State(Destination, e.MaHoSo) ?? new DeliveryStateRecord { Destination = Destination, MaHoSo = e.MaHoSo };
        if (state.Delivered.Contains(e.EventId) || state.Parked.Any(p => p.EventId == e.EventId) || !adapter.Wants(e))
        {
            return null;
        }

        if (state.Parked.Count > 0)
        {
            // Wait behind the refused event: later events of a parked dossier never overtake it.
            await log.WriteStateAsync(state with { Parked = [.. state.Parked, e], UpdatedAt = time.GetUtcNow() }, ct).ConfigureAwait(false);
            await RecordAsync("Delivery", e, "queued_behind_parked", null, ct).ConfigureAwait(false);
            return null;
        }

        var outcome = await TryDeliverAsync(e, state, ct).ConfigureAwait(false);
        switch (outcome.Result)
        {
            case DeliveryResult.Delivered:
                await log.WriteStateAsync(state.WithDelivered(e.EventId, time.GetUtcNow()), ct).ConfigureAwait(false);
                return null;
            case DeliveryResult.Park:
                await log.WriteStateAsync(state with
                {
                    Parked = [e], Retrying = null, LastError = outcome.Error, ParkedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow(),
                }, ct).ConfigureAwait(false);
                LogParked(Destination, e.MaHoSo, e.EventId, outcome.Error ?? "");
                return null;
            default:
                if (state.Retrying != e.EventId || state.LastError != outcome.Error)
                {
                    await log.WriteStateAsync(state with { Retrying = e.EventId, LastError = outcome.Error, UpdatedAt = time.GetUtcNow() }, ct).ConfigureAwait(false);
                }

                return outcome.RetryIn;
        }
    }

    private async Task<TimeSpan?> HandleReplayAsync(ReplayCommand replay, CancellationToken ct)
    {
        var state = projection.State(Destination, replay.MaHoSo);
        if (state is null || state.Parked.Count == 0)
        {
            await RecordReplayAsync(replay, "nothing_parked", ct).ConfigureAwait(false);
            return null;
        }

        while (state.Parked.Count > 0)
        {
            var e = state.Parked[0];
            var outcome = await TryDeliverAsync(e, state, ct, replay: true).ConfigureAwait(false);
            if (outcome.Result == DeliveryResult.Retry)
            {
                return outcome.RetryIn; // destination down: the replay request is read again after the wait
            }

            if (outcome.Result == DeliveryResult.Park)
            {
                state = state with { LastError = outcome.Error, ParkedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() };
                await log.WriteStateAsync(state, ct).ConfigureAwait(false);
                await RecordReplayAsync(replay, "refused_again", ct).ConfigureAwait(false);
                return null;
            }

            state = state.WithDelivered(e.EventId, time.GetUtcNow()) with { Parked = [.. state.Parked.Skip(1)] };
            if (state.Parked.Count == 0)
            {
                state = state with { LastError = null, ParkedAt = null };
            }

            await log.WriteStateAsync(state, ct).ConfigureAwait(false);
        }

        await RecordReplayAsync(replay, "ok", ct).ConfigureAwait(false);
        return null;
    }

    private async Task<Outcome> TryDeliverAsync(DossierEvent e, DeliveryStateRecord state, CancellationToken ct, bool replay = false)
    {
        var now = time.GetUtcNow();
        if (!_attempts.TryGetValue(e.EventId, out var attempts))
        {
            attempts = new Attempts(now);
            _attempts[e.EventId] = attempts;
        }

        attempts.Count++;
        try
        {
            var receipt = await adapter.DeliverAsync(e, new Adapters.DeliveryCall($"{e.EventId}:{Destination}", attempts.Count), ct).ConfigureAwait(false);
            _attempts.Remove(e.EventId);
            await RecordAsync(replay ? "Replay" : "Delivery", e, "ok", receipt.MappingVersion, ct).ConfigureAwait(false);
            return new Outcome(DeliveryResult.Delivered, null, null);
        }
        catch (UpstreamException u) when (!ct.IsCancellationRequested)
        {
            await RecordAsync(replay ? "Replay" : "Delivery", e, u.Failure.ToString(), null, ct).ConfigureAwait(false);
            var transient = u.Failure is UpstreamFailure.Unavailable or UpstreamFailure.Timeout;
            if (transient)
            {
                attempts.Refusals = 0;
                if (now - attempts.FirstFailure < options.Delivery.ParkAfterTransientFor)
                {
                    return new Outcome(DeliveryResult.Retry, u.Message, Backoff(attempts.Count));
                }
            }
            else
            {
                attempts.Refusals++;
                if (!replay && attempts.Refusals < options.Delivery.RefusalsBeforePark)
                {
                    return new Outcome(DeliveryResult.Retry, u.Message, Backoff(attempts.Count));
                }
            }

            _attempts.Remove(e.EventId);
            return new Outcome(DeliveryResult.Park, u.Message, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect in an adapter must not lose the event: keep it, log it, try again later.
            LogAdapterDefect(ex, Destination, e.EventId);
            return new Outcome(DeliveryResult.Retry, $"internal error in the {Destination} adapter", Backoff(attempts.Count));
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var d = options.Delivery;
        var exp = d.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exp, d.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2))); // jitter: 50-100%
    }

    private ValueTask RecordAsync(string kind, DossierEvent e, string outcome, string? mappingVersion, CancellationToken ct) =>
        evidence.RecordAsync(new ExchangeRecord
        {
            Client = "hub",
            Operation = $"{kind}/{Destination}",
            Time = time.GetUtcNow(),
            Outcome = outcome,
            RequestDigest = ExchangeRecord.Digest(JsonSerializer.SerializeToUtf8Bytes(e, CanonicalJson.Default.DossierEvent)),
            MappingVersion = mappingVersion,
            Upstream = Destination,
            RequestId = e.EventId,
            MaHoSo = e.MaHoSo,
        }, ct);

    private ValueTask RecordReplayAsync(ReplayCommand replay, string outcome, CancellationToken ct) =>
        evidence.RecordAsync(new ExchangeRecord
        {
            Client = replay.RequestedBy,
            Operation = $"Replay/{Destination}",
            Time = time.GetUtcNow(),
            Outcome = outcome,
            Upstream = Destination,
            RequestId = replay.RequestId,
            MaHoSo = replay.MaHoSo,
        }, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Destination}: partitions {Partitions} assigned")]
    private partial void LogAssigned(string destination, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Destination}: consume error {Reason}")]
    private partial void LogConsumeError(string destination, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {Destination}: unreadable record {Partition}@{Offset} skipped: {Reason}")]
    private partial void LogUnreadable(string destination, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Destination}: dossier {MaHoSo} parked at event {EventId}: {Error}")]
    private partial void LogParked(string destination, string maHoSo, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {Destination}: adapter failed unexpectedly on event {EventId}; will retry")]
    private partial void LogAdapterDefect(Exception exception, string destination, string eventId);

    private enum DeliveryResult
    {
        Delivered,
        Retry,
        Park,
    }

    private sealed record Outcome(DeliveryResult Result, string? Error, TimeSpan? RetryIn);

    private sealed class Attempts(DateTimeOffset firstFailure)
    {
        public DateTimeOffset FirstFailure { get; } = firstFailure;

        public int Count { get; set; }

        public int Refusals { get; set; }
    }
}

/// <summary>The options a worker needs, resolved once.</summary>
internal sealed record KafkaOptionsSnapshot(KafkaOptions Kafka, DeliveryOptions Delivery);
