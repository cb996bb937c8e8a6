using System.Text.Json;
using Confluent.Kafka;
using OneStop.Hub.Inbound;
using OneStop.Hub.Kafka.Internal;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Inbound;

/// <summary>
/// The inbound topic: an idempotent producer with acks=all, keyed by the receiving agency. The partition is chosen
/// by the hub (<see cref="AgencyPartitions"/>), so a subscriber knows which partition holds its agency's stream.
/// </summary>
internal sealed class KafkaInboundLog : IInboundLog
{
    private readonly GroupCommitProducer _producer;
    private readonly AgencyPartitions _partitions;
    private readonly string _topic;

    public KafkaInboundLog(KafkaCluster cluster, KafkaTopics topics, AgencyPartitions partitions)
    {
        _topic = topics.Inbound;
        _partitions = partitions;
        _producer = cluster.Writer;
    }

    public async Task AppendAsync(IReadOnlyCollection<InboundRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var count = _partitions.Count(_topic);
        var sends = records.Select(r => _producer.ProduceAsync(
            new TopicPartition(_topic, AgencyPartitions.Of(r.Agency, count)),
            new Message<string, byte[]?> { Key = r.Agency, Value = JsonSerializer.SerializeToUtf8Bytes(r, InboundJson.Default.InboundRecord) },
            cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(sends).ConfigureAwait(false);
        }
        catch (ProduceException<string, byte[]?> e)
        {
            throw new HubException(HubErrorKind.Unavailable, $"Kafka did not acknowledge the inbound record ({e.Error.Code}): nothing was accepted, send again");
        }
    }
}

/// <summary>Which partition holds an agency's records: FNV-1a of the code, modulo the topic's partition count.</summary>
internal sealed class AgencyPartitions(KafkaCluster cluster)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public static int Of(string agency, int partitions)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var hash = 2166136261u;
        foreach (var c in agency)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }

    /// <summary>The topic's partition count (a metadata request creates the topic when it does not exist yet).</summary>
    public int Count(string topic) => _counts.GetOrAdd(topic, t =>
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(cluster.ClientConfig())).Build();
        return admin.GetMetadata(t, TimeSpan.FromSeconds(15)).Topics.Single().Partitions.Count;
    });
}
