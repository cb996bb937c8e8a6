using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Inbound;

namespace OneStop.Hub.Kafka.Inbound;

/// <summary>
/// The inbound flow's keyed state on a compacted topic (<c>{prefix}.inbound-state</c>, key <c>{table}␟{key}</c>): a write
/// completes when Kafka acknowledged it (acks=all, idempotent producer), and every instance reads the topic back into
/// its view. INTERIM: the view is in memory and rebuilt from the start of the topic at start-up, so the seen-dossier
/// table grows with history; it is meant to be replaced by the shared RocksDB-backed state table (issue 9) behind
/// the same <see cref="IInboundState"/> interface.
/// </summary>
internal sealed partial class KafkaInboundState(KafkaCluster cluster, KafkaTopics topics, ILogger<KafkaInboundState> logger)
    : BackgroundService, IInboundState
{
    private const char Separator = '\u001f';
    private int _disposed;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _positions = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<IProducer<string, byte[]>> _producer = new(() => new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = cluster.BootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 1,
        MessageTimeoutMs = 30_000,
    }).Build());

    private string Topic => topics.InboundState;

    public byte[]? Get(string table, string key) =>
        _tables.TryGetValue(table, out var t) && t.TryGetValue(key, out var value) ? value : null;

    public IEnumerable<KeyValuePair<string, byte[]>> Scan(string table) =>
        _tables.TryGetValue(table, out var t) ? t.ToArray() : [];

    public async Task PutAsync(string table, IReadOnlyCollection<KeyValuePair<string, byte[]?>> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var pending = entries.Select(e => _producer.Value.ProduceAsync(Topic, new Message<string, byte[]> { Key = $"{table}{Separator}{e.Key}", Value = e.Value! }, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (ProduceException<string, byte[]> e)
        {
            throw new HubException(HubErrorKind.Unavailable, $"Kafka did not acknowledge inbound state ({e.Error.Code}); try again");
        }

        foreach (var e in entries)
        {
            Apply(table, e.Key, e.Value);
        }
    }

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var targets = new List<(int Partition, long High)>();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "onestop-watermarks" }).Build())
        {
            foreach (var p in admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions)
            {
                targets.Add((p.PartitionId, probe.QueryWatermarkOffsets(new TopicPartition(Topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value));
            }
        }

        while (targets.Any(t => _positions.GetValueOrDefault(t.Partition) < t.High))
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when this view has read what the topic held at start-up (call before serving).</summary>
    public Task StartedAsync(CancellationToken cancellationToken) => CatchUpAsync(cancellationToken);

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }

        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Apply(string table, string key, byte[]? value)
    {
        var t = _tables.GetOrAdd(table, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));
        if (value is null || value.Length == 0)
        {
            t.TryRemove(key, out _);
        }
        else
        {
            t[key] = value;
        }
    }

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = $"onestop-inbound-state-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        List<TopicPartitionOffset> partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            KafkaTopicsSetup.EnsureCompacted(cluster, admin, Topic);
            partitions = [.. admin.GetMetadata(Topic, TimeSpan.FromSeconds(15)).Topics.Single().Partitions
                .Select(p => new TopicPartitionOffset(Topic, p.PartitionId, Offset.Beginning))];
        }

        consumer.Assign(partitions);
        _started.TrySetResult();
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

            if (cr is null)
            {
                continue;
            }

            var split = cr.Message.Key?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
            if (split > 0)
            {
                Apply(cr.Message.Key![..split], cr.Message.Key[(split + 1)..], cr.Message.Value);
            }

            _positions[cr.Partition.Value] = cr.Offset.Value + 1;
        }

        consumer.Close();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound state: consume error {Reason}")]
    private partial void LogConsumeError(string reason);
}
