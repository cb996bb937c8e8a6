using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace OneStop.Hub.Kafka;

/// <summary>Kafka settings, bound from <c>Kafka</c>.</summary>
public sealed class KafkaOptions
{
    /// <summary>
    /// Brokers of a real cluster (host:port,…). Required, except with <c>Demo:Enabled</c>: then empty starts
    /// librdkafka's in-process mock cluster, which speaks the Kafka protocol but keeps everything in memory.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>
    /// Any librdkafka client setting, given to every producer, consumer and admin client the hub makes:
    /// <c>Kafka:Client:security.protocol</c>, <c>Kafka:Client:sasl.mechanism</c>, <c>Kafka:Client:ssl.ca.location</c>, ….
    /// A dotted name may also be written as sections (<c>Kafka__Client__sasl__password</c> in an environment variable).
    /// Checked at start by librdkafka itself: an unknown name or a bad value stops the start.
    /// </summary>
    public Dictionary<string, string> Client { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How the hub's topics are laid out on a real cluster (<c>onestop kafka topics --apply</c>, and the start-up check).</summary>
    public KafkaTopicOptions Topics { get; set; } = new();

    /// <summary>Brokers of the embedded mock cluster.</summary>
    [Range(1, 9)]
    public int EmbeddedBrokers { get; set; } = 3;

    /// <summary>
    /// How long a crashed instance's partitions stay with it before the group hands them to another instance.
    /// Lower = faster take-over, higher = fewer needless rebalances on a slow network.
    /// </summary>
    [Range(3000, 300_000)]
    public int SessionTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// How long a consumer's fetch may wait at the broker for new records (<c>fetch.wait.max.ms</c>). A real broker
    /// answers as soon as records arrive, so the wait costs no latency there: default 500 ms. librdkafka's mock
    /// cluster (the embedded one, or one hosted by kcat) holds an empty fetch for the whole wait even when records
    /// arrive meanwhile, which adds up to this much to every delivery; the embedded cluster defaults to 20 ms (each idle consumer then asks 50 times a second), and a
    /// hub on a kcat-hosted mock cluster should set it too.
    /// </summary>
    [Range(1, 10_000)]
    public int? FetchWaitMaxMs { get; set; }

    /// <summary>
    /// <c>fetch.wait.max.ms</c> of the readers that tail state tables (delivery state, dossier index, inbound tables).
    /// An instance applies its own state writes when Kafka acknowledges them, so its readers only bring other
    /// instances' writes and need no short wait: default 500 ms, on the embedded cluster too (with its ten readers asking
    /// every 20 ms the delivery benchmark's process spent 2.7–2.9 ms of CPU per event, with 500 ms 2.3–2.6 (medians); docs/benchmarks.md).
    /// A catch-up (after a partition moves, at each inbound run) may wait up to this long on a mock cluster.
    /// </summary>
    [Range(1, 10_000)]
    public int StateFetchWaitMaxMs { get; set; } = 500;

    /// <summary>Prefix of every topic the hub creates, so several hubs can share a cluster.</summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]+$")]
    public string TopicPrefix { get; set; } = "onestop";

    /// <summary>The settings under <c>Kafka</c> as the hub reads them (for tools that read the hub's configuration).</summary>
    public static KafkaOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection("Kafka").Get<KafkaOptions>() ?? new KafkaOptions();
        options.Client = KafkaOptionsValidator.Flatten(configuration.GetSection("Kafka:Client"));
        return options;
    }
}

/// <summary>Topic layout, bound from <c>Kafka:Topics</c>; see <see cref="KafkaTopics.Specs"/>.</summary>
public sealed class KafkaTopicOptions
{
    /// <summary>Partitions of every topic: the most instances that share one consumer group's work. Kafka can add partitions later, never remove them.</summary>
    [Range(1, 10_000)]
    public int Partitions { get; set; } = 12;

    [Range(1, 16)]
    public short ReplicationFactor { get; set; } = 3;

    /// <summary>Replicas that must have a write before acks=all answers: with 3 replicas, 2 lets one broker be down without losing an acknowledged record.</summary>
    [Range(1, 16)]
    public int MinInsyncReplicas { get; set; } = 2;

    /// <summary>How long the dossier event log is kept; empty = for ever (each instance rebuilds its dossier view from it). Offload first: see docs/deployment.md.</summary>
    public TimeSpan? DossierLogRetention { get; set; }

    /// <summary>How long evidence is kept; empty = for ever. Archive it first (<c>onestop evidence archive</c>) if policy lets it go.</summary>
    public TimeSpan? EvidenceRetention { get; set; }

    /// <summary>
    /// What the hub does at start when a topic on the cluster differs from its spec (wrong cleanup.policy, too few
    /// partitions, missing): <c>Enforce</c> refuses to start, <c>Warn</c> logs, <c>Off</c> skips. The embedded mock
    /// cluster is never checked: it cannot create topics.
    /// </summary>
    public TopicCheckMode Check { get; set; } = TopicCheckMode.Enforce;
}

public enum TopicCheckMode
{
    Enforce,
    Warn,
    Off,
}
