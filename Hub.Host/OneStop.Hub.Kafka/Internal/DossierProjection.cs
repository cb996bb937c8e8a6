using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// Every instance's view of the dossier topics: which events exist (for duplicate detection and the trail) and
/// the delivery state of every dossier at every destination (the checkpoints delivery workers resume from).
/// It reads both topics, all partitions, from the beginning, like a table built from a changelog.
/// </summary>
internal sealed partial class DossierProjection(
    KafkaCluster cluster, KafkaTopics topics, ILogger<DossierProjection> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DossierEntry> _dossiers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _eventIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeliveryStateRecord> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TopicPartition, long> _positions = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ContainsEvent(string eventId) => _eventIds.ContainsKey(eventId);

    public DossierEntry? Dossier(string maHoSo) => _dossiers.GetValueOrDefault(maHoSo);

    public DeliveryStateRecord? State(string destination, string maHoSo) =>
        _states.GetValueOrDefault(DeliveryStateRecord.KeyOf(destination, maHoSo));

    public IEnumerable<DeliveryStateRecord> States => _states.Values;

    /// <summary>Read-your-writes for the instance that wrote a state: applied at once, and again when read back.</summary>
    public void Apply(DeliveryStateRecord state) => _states[DeliveryStateRecord.KeyOf(state.Destination, state.MaHoSo)] = state;

    public void Apply(DossierEvent e)
    {
        if (_eventIds.TryAdd(e.EventId, 0))
        {
            _dossiers.GetOrAdd(e.MaHoSo, m => new DossierEntry(m)).Add(e);
        }
    }

    /// <summary>Waits until this view has read everything <paramref name="topic"/> held when the call was made.</summary>
    public async Task CatchUpAsync(string topic, CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var targets = new List<(TopicPartition Tp, long High)>();
        using (var admin = new AdminClientBuilder(new AdminClientConfig(cluster.ClientConfig())).Build())
        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(cluster.ClientConfig())
               {
                   GroupId = "onestop-watermarks", EnableAutoCommit = false,
               }).Build())
        {
            foreach (var p in admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions)
            {
                var tp = new TopicPartition(topic, p.PartitionId);
                targets.Add((tp, probe.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value));
            }
        }

        while (targets.Any(t => _positions.GetValueOrDefault(t.Tp) < t.High))
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    // A dedicated thread: the loop blocks in Consume, and a blocked thread-pool thread starves everything else.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(cluster.ClientConfig())
        {
            GroupId = $"onestop-projection-{Guid.NewGuid():N}", // never commits: a view, not a worker
            EnableAutoCommit = false,
            EnablePartitionEof = false,
            AllowAutoCreateTopics = true,
        }).Build();

        var partitions = new List<TopicPartitionOffset>();
        using (var admin = new AdminClientBuilder(new AdminClientConfig(cluster.ClientConfig())).Build())
        {
            foreach (var topic in new[] { topics.DossierEvents, topics.DeliveryState })
            {
                // A metadata request for the topic creates it (auto-create) when it does not exist yet.
                var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(15)).Topics.Single();
                partitions.AddRange(meta.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
            }
        }

        consumer.Assign(partitions);
        _started.TrySetResult();
        LogStarted(partitions.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
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

            if (cr is null || cr.IsPartitionEOF)
            {
                continue;
            }

            try
            {
                if (cr.Topic == topics.DossierEvents)
                {
                    var record = JsonSerializer.Deserialize(cr.Message.Value, KafkaJson.Default.DossierLogRecord);
                    if (record?.Event is { } e)
                    {
                        Apply(e);
                    }
                }
                else if (cr.Message.Value is { Length: > 0 } bytes && JsonSerializer.Deserialize(bytes, KafkaJson.Default.DeliveryStateRecord) is { } state)
                {
                    Apply(state);
                }
            }
            catch (JsonException e)
            {
                LogUnreadable(cr.Topic, cr.Partition.Value, cr.Offset.Value, e.Message);
            }

            _positions[cr.TopicPartition] = cr.Offset.Value + 1;
        }

        consumer.Close();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dossier projection reading {Partitions} partitions from the beginning")]
    private partial void LogStarted(int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dossier projection: consume error {Reason}")]
    private partial void LogConsumeError(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dossier projection: unreadable record {Topic}/{Partition}@{Offset}: {Reason}")]
    private partial void LogUnreadable(string topic, int partition, long offset, string reason);
}

/// <summary>The events of one dossier, in log order.</summary>
internal sealed class DossierEntry(string maHoSo)
{
    private readonly List<DossierEvent> _events = [];

    public string MaHoSo { get; } = maHoSo;

    public IReadOnlyList<DossierEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Add(DossierEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }
}
