using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Inbound;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Inbound;

/// <summary>
/// A subscriber's position in one agency's stream (state table <c>inbound-acks</c>, key <c>{client}|{agency}</c>):
/// every record of the agency below <see cref="Floor"/> is acknowledged, and so are the offsets in <see cref="Acked"/>.
/// </summary>
internal sealed record AckPosition(long Floor, IReadOnlyList<long> Acked)
{
    public static AckPosition Start { get; } = new(0, []);

    public bool IsAcked(long offset) => offset < Floor || Acked.Contains(offset);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AckPosition))]
internal sealed partial class AckJson : JsonSerializerContext;

/// <summary>
/// Delivers the inbound topic to subscribers. Each subscription reads the partitions of its agencies with its own
/// consumer (no group: positions are per client and agency, not per instance), from the lowest acknowledged floor,
/// skipping what the client acknowledged, so a reconnecting subscriber gets exactly its unacknowledged messages, in
/// order per agency. An acknowledgement is written durably before <see cref="AckAsync"/> completes; the floor
/// moves up to the first unacknowledged offset a live subscription (or a fetch) has seen, which keeps the acked set small.
/// Two instances acknowledging for the same client and agency at the same moment can overwrite each other's write
/// (last writer wins): the lost acknowledgement means a redelivery, never a loss.
/// </summary>
internal sealed partial class KafkaInboundSubscriptions(
    KafkaCluster cluster, KafkaTopics topics, AgencyPartitions partitions, IInboundState state, ILogger<KafkaInboundSubscriptions> logger)
    : IInboundSubscriptions
{
    public const string AckTable = "inbound-acks";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _ackLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Session, byte> _sessions = new();

    private string Topic => topics.Inbound;

    public async IAsyncEnumerable<InboundDelivery> SubscribeAsync(
        string client, IReadOnlyCollection<string> agencies, int window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = new Session(client, agencies, window);
        _sessions[session] = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Factory.StartNew(() => ReadLoop(session, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var delivery in session.Output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return delivery;
            }
        }
        finally
        {
            _sessions.TryRemove(session, out _);
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async Task<IReadOnlyList<InboundDelivery>> FetchAsync(string client, IReadOnlyCollection<string> agencies, int max, CancellationToken cancellationToken)
    {
        await state.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var (deliveries, floors) = await Task.Factory.StartNew(() => Fetch(client, agencies, max), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .ConfigureAwait(false);

        // Move each agency's floor up to the first unacknowledged record the fetch met, so the acked set stays small.
        foreach (var (agency, floor) in floors)
        {
            var gate = _ackLocks.GetOrAdd(Key(client, agency), _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = Position(client, agency);
                if (floor > current.Floor)
                {
                    await Write(client, agency, new AckPosition(floor, [.. current.Acked.Where(o => o >= floor)]), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return deliveries;
    }

    public async Task AckAsync(string client, IReadOnlyCollection<DeliveryId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var group in ids.GroupBy(i => i.Agency, StringComparer.Ordinal))
        {
            var key = Key(client, group.Key);
            var gate = _ackLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = Position(client, group.Key);
                var acked = new SortedSet<long>(current.Acked);
                foreach (var id in group)
                {
                    acked.Add(id.Offset);
                }

                var live = _sessions.Keys.Where(s => s.Client == client && s.Agencies.Contains(group.Key)).ToList();
                foreach (var s in live)
                {
                    s.Acknowledge(group.Key, group.Select(i => i.Offset));
                }

                var floor = current.Floor;
                if (live.Count > 0)
                {
                    floor = Math.Max(floor, live.Min(s => s.SafeFloor(group.Key)));
                }

                await Write(client, group.Key, new AckPosition(floor, [.. acked.Where(o => o >= floor)]), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    public Task<InboundRecord?> ReadAsync(DeliveryId id, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => ReadOne(id, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Reads the one record at the id's partition and offset (bounded: 10 s), when it belongs to the id's agency.</summary>
    private InboundRecord? ReadOne(DeliveryId id, CancellationToken cancellationToken)
    {
        if (id.Partition >= partitions.Count(Topic))
        {
            return null;
        }

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(cluster.ConsumerConfig())
        {
            GroupId = "onestop-inbound-reader",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Error,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(Topic, id.Partition, id.Offset));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        try
        {
            while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr is null)
                {
                    continue;
                }

                if (cr.IsPartitionEOF || cr.Offset.Value != id.Offset)
                {
                    return null;
                }

                return cr.Message.Key == id.Agency ? Read(cr) : null;
            }
        }
        catch (ConsumeException)
        {
            return null; // the offset is out of range: no such record
        }
        finally
        {
            consumer.Close();
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new HubException(HubErrorKind.Unavailable, "the inbound topic could not be read in time");
    }

    private static string Key(string client, string agency) => $"{client}|{agency}";

    private AckPosition Position(string client, string agency) =>
        state.Get(AckTable, Key(client, agency)) is { } bytes ? JsonSerializer.Deserialize(bytes, AckJson.Default.AckPosition) ?? AckPosition.Start : AckPosition.Start;

    private Task Write(string client, string agency, AckPosition position, CancellationToken cancellationToken) =>
        state.PutAsync(AckTable, [new(Key(client, agency), JsonSerializer.SerializeToUtf8Bytes(position, AckJson.Default.AckPosition))], cancellationToken);

    private IConsumer<string, byte[]> Assign(IReadOnlyDictionary<string, AckPosition> positions, bool eof)
    {
        var count = partitions.Count(Topic);
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(cluster.ConsumerConfig())
        {
            GroupId = "onestop-inbound-reader", // never joins or commits: positions live in the ack table
            EnableAutoCommit = false,
            EnablePartitionEof = eof,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Assign(positions
            .GroupBy(p => AgencyPartitions.Of(p.Key, count))
            .Select(g => new TopicPartitionOffset(Topic, g.Key, g.Min(p => p.Value.Floor) is var f && f > 0 ? new Offset(f) : Offset.Beginning)));
        return consumer;
    }

    private void ReadLoop(Session session, CancellationToken stop)
    {
        try
        {
            state.CatchUpAsync(stop).GetAwaiter().GetResult();
            var positions = session.Agencies.ToDictionary(a => a, a => Position(session.Client, a), StringComparer.Ordinal);
            session.Begin(positions, partitions.Count(Topic));
            using var consumer = Assign(positions, eof: false);
            while (!stop.IsCancellationRequested)
            {
                session.WaitForRoom(stop);
                ConsumeResult<string, byte[]>? cr;
                try
                {
                    cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                }
                catch (ConsumeException e)
                {
                    LogConsumeError(e.Error.Reason);
                    continue;
                }

                if (cr?.Message is null)
                {
                    continue;
                }

                var agency = cr.Message.Key;
                if (agency is null || !positions.TryGetValue(agency, out var position) || position.IsAcked(cr.Offset.Value) || Read(cr) is not { } record)
                {
                    session.Passed(cr.Partition.Value, cr.Offset.Value);
                    continue;
                }

                var delivery = new InboundDelivery(new DeliveryId(agency, cr.Partition.Value, cr.Offset.Value).ToString(), record);
                session.Sent(agency, cr.Partition.Value, cr.Offset.Value);
                session.Output.Writer.WriteAsync(delivery, stop).AsTask().GetAwaiter().GetResult();
            }

            consumer.Close();
            session.Output.Writer.TryComplete();
        }
        catch (OperationCanceledException)
        {
            session.Output.Writer.TryComplete();
        }
        catch (Exception e) when (e is KafkaException or HubException)
        {
            session.Output.Writer.TryComplete(new HubException(HubErrorKind.Unavailable, "the inbound stream could not be read from Kafka; subscribe again"));
        }
    }

    private (List<InboundDelivery> Deliveries, Dictionary<string, long> Floors) Fetch(string client, IReadOnlyCollection<string> agencies, int max)
    {
        var positions = agencies.ToDictionary(a => a, a => Position(client, a), StringComparer.Ordinal);
        var result = new List<InboundDelivery>();
        var firstUnacked = new Dictionary<string, long>(StringComparer.Ordinal);
        var lastSeen = new Dictionary<int, long>();
        using var consumer = Assign(positions, eof: true);
        var open = consumer.Assignment.Count;
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (result.Count < max && ended.Count < open && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is null)
            {
                continue;
            }

            if (cr.IsPartitionEOF)
            {
                ended.Add(cr.Partition.Value);
                continue;
            }

            lastSeen[cr.Partition.Value] = cr.Offset.Value;
            var agency = cr.Message.Key;
            if (agency is null || !positions.TryGetValue(agency, out var position) || position.IsAcked(cr.Offset.Value))
            {
                continue;
            }

            firstUnacked.TryAdd(agency, cr.Offset.Value);
            if (Read(cr) is { } record)
            {
                result.Add(new InboundDelivery(new DeliveryId(agency, cr.Partition.Value, cr.Offset.Value).ToString(), record));
            }
        }

        consumer.Close();
        var count = partitions.Count(Topic);
        var floors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var agency in positions.Keys)
        {
            if (firstUnacked.TryGetValue(agency, out var first))
            {
                floors[agency] = first;
            }
            else if (lastSeen.TryGetValue(AgencyPartitions.Of(agency, count), out var last))
            {
                floors[agency] = last + 1;
            }
        }

        return (result, floors);
    }

    private InboundRecord? Read(ConsumeResult<string, byte[]> cr)
    {
        try
        {
            return JsonSerializer.Deserialize(cr.Message.Value, InboundJson.Default.InboundRecord);
        }
        catch (JsonException e)
        {
            LogUnreadable(cr.Partition.Value, cr.Offset.Value, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound subscription: consume error {Reason}")]
    private partial void LogConsumeError(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbound subscription: unreadable record {Partition}@{Offset}: {Reason}")]
    private partial void LogUnreadable(int partition, long offset, string reason);

    /// <summary>One live subscription: what it sent and what is still unacknowledged, per agency.</summary>
    private sealed class Session(string client, IReadOnlyCollection<string> agencies, int window)
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, SortedSet<long>> _unacked = new(StringComparer.Ordinal);
        private readonly Dictionary<int, long> _passed = [];
        private Dictionary<string, long> _start = new(StringComparer.Ordinal);
        private Dictionary<string, int> _partitionOf = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _room = new(0);
        private int _inFlight;

        public string Client { get; } = client;

        public HashSet<string> Agencies { get; } = new(agencies, StringComparer.Ordinal);

        public Channel<InboundDelivery> Output { get; } = Channel.CreateBounded<InboundDelivery>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });

        public void Begin(IReadOnlyDictionary<string, AckPosition> positions, int partitions)
        {
            lock (_gate)
            {
                _start = positions.ToDictionary(p => p.Key, p => p.Value.Floor, StringComparer.Ordinal);
                _partitionOf = positions.Keys.ToDictionary(a => a, a => AgencyPartitions.Of(a, partitions), StringComparer.Ordinal);
            }
        }

        public void Passed(int partition, long offset)
        {
            lock (_gate)
            {
                _passed[partition] = offset + 1;
            }
        }

        /// <summary>A record was sent: outstanding until acknowledged. (Also read past, under the same lock, so an
        /// acknowledgement in between never sees it read but not outstanding.)</summary>
        public void Sent(string agency, int partition, long offset)
        {
            lock (_gate)
            {
                _passed[partition] = offset + 1;
                if (!_unacked.TryGetValue(agency, out var set))
                {
                    _unacked[agency] = set = [];
                }

                set.Add(offset);
                _inFlight++;
            }
        }

        public void Acknowledge(string agency, IEnumerable<long> offsets)
        {
            var freed = 0;
            lock (_gate)
            {
                if (_unacked.TryGetValue(agency, out var set))
                {
                    foreach (var o in offsets)
                    {
                        if (set.Remove(o))
                        {
                            freed++;
                        }
                    }
                }

                _inFlight -= freed;
            }

            if (freed > 0)
            {
                _room.Release(freed);
            }
        }

        /// <summary>Every record of <paramref name="agency"/> below this offset is acknowledged (as far as this session knows).</summary>
        public long SafeFloor(string agency)
        {
            lock (_gate)
            {
                if (_unacked.TryGetValue(agency, out var set) && set.Count > 0)
                {
                    return set.Min;
                }

                // Nothing of the agency is outstanding: every record of its partition this session read past is
                // acknowledged or another agency's.
                var start = _start.GetValueOrDefault(agency);
                return _partitionOf.TryGetValue(agency, out var partition) && _passed.TryGetValue(partition, out var passed) && passed > start ? passed : start;
            }
        }

        public void WaitForRoom(CancellationToken stop)
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_inFlight < window)
                    {
                        return;
                    }
                }

                _room.Wait(TimeSpan.FromMilliseconds(200), stop);
            }
        }
    }
}
