using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Kafka;

/// <summary>
/// The Kafka cluster the hub uses: the configured one, or librdkafka's in-process mock cluster when
/// <c>Kafka:BootstrapServers</c> is empty. The mock cluster lives as long as this object.
/// </summary>
public sealed partial class KafkaCluster : IDisposable
{
    private readonly IAdminClient? _owner;

    public KafkaCluster(IOptions<KafkaOptions> options, ILogger<KafkaCluster> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.BootstrapServers))
        {
            BootstrapServers = o.BootstrapServers;
            LogConfigured(logger, BootstrapServers);
            return;
        }

        var config = new AdminClientConfig();
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

    /// <summary>Broker count as the cluster reports it now; throws when no broker answers in time.</summary>
    public int CountBrokers(TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
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
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig { BootstrapServers = BootstrapServers }).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        foreach (var topic in topics)
        {
            admin.GetMetadata(topic, timeout);
        }
    }

    public void Dispose() => _owner?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka: cluster at {BootstrapServers}")]
    private static partial void LogConfigured(ILogger logger, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Kafka: no Kafka:BootstrapServers configured, so the hub started librdkafka's IN-MEMORY mock cluster ({Brokers} brokers at {BootstrapServers}). Nothing survives a restart: demo and tests only.")]
    private static partial void LogEmbedded(ILogger logger, int brokers, string bootstrapServers);
}
