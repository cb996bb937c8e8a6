using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Hub.Kafka.Internal;

namespace OneStop.Hub.Kafka;

/// <summary>
/// The Kafka cluster the hub uses: the configured one, or (only with <c>Demo:Enabled</c>) librdkafka's in-process
/// mock cluster when <c>Kafka:BootstrapServers</c> is empty. The mock cluster lives as long as this object.
/// </summary>
public sealed partial class KafkaCluster : IDisposable
{
    private readonly IAdminClient? _owner;
    private readonly IReadOnlyDictionary<string, string> _client;
    private readonly int? _fetchWaitMaxMs;
    private readonly int _stateFetchWaitMaxMs;
    private readonly Lock _writerGate = new();
    private GroupCommitProducer? _writer;
    private bool _disposed;

    public KafkaCluster(IOptions<KafkaOptions> options, IConfiguration configuration, ILogger<KafkaCluster> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _client = o.Client;
        _fetchWaitMaxMs = o.FetchWaitMaxMs;
        _stateFetchWaitMaxMs = o.StateFetchWaitMaxMs;
        if (!string.IsNullOrWhiteSpace(o.BootstrapServers))
        {
            BootstrapServers = o.BootstrapServers;
            LogConfigured(logger, BootstrapServers);
            return;
        }

        if (!DemoMode.IsEnabled(configuration))
        {
            throw new OptionsValidationException("Kafka", typeof(KafkaOptions), [KafkaOptionsValidator.BootstrapServersRequired]);
        }

        var config = new AdminClientConfig
        {
            // The mock brokers' sockets take this client's setting. With Nagle's algorithm on, a broker's reply waits
            // for the hub's delayed ACK (40 ms) whenever a group-commit flush spans brokers: measured 1,500 keyed
            // acks=all writes/s at p50 44 ms with it, 160,000/s at p50 0.4 ms without (docs/benchmarks.md).
            SocketNagleDisable = true,
        };
        config.Set("test.mock.num.brokers", o.EmbeddedBrokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new AdminClientBuilder(config).Build();
        var metadata = _owner.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(',', metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        IsEmbedded = true;
        LogEmbedded(logger, metadata.Brokers.Count, BootstrapServers);
    }

    /// <summary>Brokers for clients: the configured ones, or those of the embedded mock cluster.</summary>
    public string BootstrapServers { get; }

    /// <summary>True when the hub runs on the in-memory mock cluster: everything is lost when the hub stops.</summary>
    public bool IsEmbedded { get; }

    /// <summary>
    /// The settings every client of this cluster starts from: <c>Kafka:Client:*</c> (security, SASL, TLS, …) and the
    /// bootstrap servers. Make each client's config from it: <c>new ProducerConfig(cluster.ClientConfig()) { Acks = … }</c>.
    /// </summary>
    public ClientConfig ClientConfig() => KafkaOptionsValidator.ClientConfig(_client, BootstrapServers);

    /// <summary>As <see cref="ClientConfig"/>, for a consumer: with <see cref="KafkaOptions.FetchWaitMaxMs"/>.</summary>
    public ConsumerConfig ConsumerConfig() => new(ClientConfig())
    {
        FetchWaitMaxMs = _fetchWaitMaxMs ?? (IsEmbedded ? 20 : 500),
    };

    /// <summary>As <see cref="ConsumerConfig"/>, for a reader that tails a state table: with <see cref="KafkaOptions.StateFetchWaitMaxMs"/>.</summary>
    public ConsumerConfig StateConsumerConfig() => new(ClientConfig())
    {
        FetchWaitMaxMs = _stateFetchWaitMaxMs,
    };

    /// <summary>Broker count as the cluster reports it now; throws when no broker answers in time.</summary>
    public int CountBrokers(TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(ClientConfig())).Build();
        return admin.GetMetadata(timeout).Brokers.Count;
    }

    /// <summary>
    /// Makes sure <paramref name="topics"/> exist where the broker creates topics on first use (the embedded cluster,
    /// a cluster with auto-create on): a producer's metadata request for a topic creates it, so consumers that subscribe
    /// before anything was produced get their partitions at once instead of waiting for the first record.
    /// </summary>
    public void EnsureTopics(IEnumerable<string> topics, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(topics);
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig(ClientConfig())).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        foreach (var topic in topics)
        {
            admin.GetMetadata(topic, timeout);
        }
    }

    /// <summary>
    /// The acks=all, idempotent group-commit producer the dossier log, the state store and the inbound log share (one
    /// librdkafka client and one writer thread instead of one each); created on first use, disposed with the cluster,
    /// after the services that write through it. The evidence recorder keeps its own: it links its chain in its writer.
    /// </summary>
    public GroupCommitProducer Writer
    {
        get
        {
            lock (_writerGate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _writer ??= new GroupCommitProducer(new ProducerConfig(ClientConfig())
                {
                    Acks = Acks.All,
                    EnableIdempotence = true,
                    LingerMs = 1,
                    MessageTimeoutMs = 30_000,
                    ClientId = "onestop-writer",
                }, "kafka-writer");
            }
        }
    }

    public void Dispose()
    {
        lock (_writerGate)
        {
            _disposed = true;
        }

        _writer?.Dispose();
        _owner?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka: cluster at {BootstrapServers}")]
    private static partial void LogConfigured(ILogger logger, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Kafka: no Kafka:BootstrapServers configured and Demo:Enabled, so the hub started librdkafka's IN-MEMORY mock cluster ({Brokers} brokers at {BootstrapServers}). Nothing survives a restart: demo and tests only.")]
    private static partial void LogEmbedded(ILogger logger, int brokers, string bootstrapServers);
}
