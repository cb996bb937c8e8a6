using Microsoft.Extensions.Options;

namespace OneStop.Hub.Kafka;

/// <summary>The hub's topics, all under <c>Kafka:TopicPrefix</c>.</summary>
public sealed class KafkaTopics(IOptions<KafkaOptions> options)
{
    private readonly string _prefix = options.Value.TopicPrefix;

    /// <summary>Accepted dossier events and replay requests, keyed by ma_ho_so (so one dossier stays in order).</summary>
    public string DossierEvents => $"{_prefix}.dossier-events";

    /// <summary>Delivery state per destination and dossier (compacted), keyed by <c>{destination}|{ma_ho_so}</c>.</summary>
    public string DeliveryState => $"{_prefix}.delivery-state";

    /// <summary>Consumer group of a destination: every hub instance joins it, so they share the work.</summary>
    public string DeliveryGroup(string destination) => $"{_prefix}.deliver.{destination}";
}
