using Microsoft.Extensions.Options;

namespace OneStop.Hub.Kafka;

/// <summary>The hub's topics, all under <c>Kafka:TopicPrefix</c>.</summary>
public sealed class KafkaTopics(IOptions<KafkaOptions> options)
{
    private readonly string _prefix = options.Value.TopicPrefix;

    /// <summary>Accepted dossier events and replay requests, keyed by ma_ho_so (so one dossier stays in order).</summary>
    public string DossierEvents => $"{_prefix}.dossier-events";

    /// <summary>Delivery state per destination and dossier (compacted), keyed by <c>s|{destination}|{ma_ho_so}</c>, and the parked index <c>p|…</c>.</summary>
    public string DeliveryState => $"{_prefix}.delivery-state";

    /// <summary>The dossier index (compacted): accepted event ids, and each dossier's events as the trail lists them.</summary>
    public string DossierIndex => $"{_prefix}.dossier-index";

    /// <summary>Consumer group of a destination: every hub instance joins it, so they share the work.</summary>
    public string DeliveryGroup(string destination) => $"{_prefix}.deliver.{destination}";

    /// <summary>Inbound dossiers and postal tracking for one-stop systems, keyed by the receiving agency (DonViXuLy).</summary>
    public string Inbound => $"{_prefix}.inbound";

    /// <summary>A compacted topic of the inbound flow's state (seen dossiers, pull cursors, subscriber positions), one per table.</summary>
    public string InboundTable(string table) => $"{_prefix}.{table}";

    /// <summary>Ownership of pull jobs: an instance pulls for the agencies whose partition the group assigned it.</summary>
    public string InboundPullOwners => $"{_prefix}.inbound-pull-owners";

    /// <summary>Consumer group whose partition assignment of <see cref="InboundPullOwners"/> decides who pulls for which agency.</summary>
    public string InboundPullGroup => $"{_prefix}.inbound-pull";
}
