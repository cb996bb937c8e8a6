using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub.Kafka;

/// <summary>Kafka settings, bound from <c>Kafka</c>.</summary>
public sealed class KafkaOptions
{
    /// <summary>
    /// Brokers of a real cluster (host:port,…). Empty: the hub starts librdkafka's in-process mock
    /// cluster, which speaks the Kafka protocol but keeps everything in memory (demo and tests only).
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Brokers of the embedded mock cluster.</summary>
    [Range(1, 9)]
    public int EmbeddedBrokers { get; set; } = 3;

    /// <summary>
    /// How long a crashed instance's partitions stay with it before the group hands them to another instance.
    /// Lower = faster take-over, higher = fewer needless rebalances on a slow network.
    /// </summary>
    [Range(3000, 300_000)]
    public int SessionTimeoutMs { get; set; } = 10_000;

    /// <summary>Prefix of every topic the hub creates, so several hubs can share a cluster.</summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]+$")]
    public string TopicPrefix { get; set; } = "onestop";
}
