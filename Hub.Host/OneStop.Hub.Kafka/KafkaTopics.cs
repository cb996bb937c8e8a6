using System.Globalization;
using Microsoft.Extensions.Options;
using OneStop.Hub.Inbound;
using OneStop.Hub.Kafka.Evidence;
using OneStop.Hub.Kafka.Inbound;

namespace OneStop.Hub.Kafka;

/// <summary>
/// The hub's topics, all under <c>Kafka:TopicPrefix</c>, and how each must be set up on a real cluster
/// (<see cref="Specs"/>): what <c>onestop kafka topics</c> prints and <c>--apply</c> creates, and what the hub checks at start.
/// </summary>
public sealed class KafkaTopics(IOptions<KafkaOptions> options, IOptions<EvidenceOptions> evidence)
{
    private readonly string _prefix = options.Value.TopicPrefix;
    private readonly KafkaTopicOptions _layout = options.Value.Topics;

    /// <summary>Accepted dossier events and replay requests, keyed by ma_ho_so (so one dossier stays in order).</summary>
    public string DossierEvents => $"{_prefix}.dossier-events";

    /// <summary>Delivery state per destination and dossier (compacted), keyed by <c>s|{destination}|{ma_ho_so}</c>, and the parked index <c>p|…</c>.</summary>
    public string DeliveryState => $"{_prefix}.delivery-state";

    /// <summary>The dossier index (compacted): accepted event ids, and each dossier's events as the trail lists them.</summary>
    public string DossierIndex => $"{_prefix}.dossier-index";

    /// <summary>Every instance's hash-chained evidence, keyed by chain id.</summary>
    public string Evidence => $"{_prefix}.{evidence.Value.Topic}";

    /// <summary>Each evidence chain's last durable head and where it is in <see cref="Evidence"/> (compacted), keyed by chain id.</summary>
    public string EvidenceHead => $"{_prefix}.{evidence.Value.HeadTopic}";

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

    /// <summary>
    /// Every topic the hub uses and how it must be set up. A log keeps every record as long as its retention says
    /// (default for ever); a compacted topic keeps the latest record per key (state, cursors, indexes).
    /// Adding a topic is one line here.
    /// </summary>
    public IReadOnlyList<TopicSpec> Specs =>
    [
        Log(DossierEvents, "accepted dossier events and replays, keyed by ma_ho_so; every instance rebuilds its dossier view from it", _layout.DossierLogRetention),
        Compacted(DeliveryState, "delivery state per destination and dossier (s|destination|ma_ho_so) and the parked index (p|…)"),
        Compacted(DossierIndex, "dossier index: accepted event ids, and each dossier's events as the trail lists them"),
        Log(Evidence, "hash-chained evidence of every exchange, keyed by chain (instance)", _layout.EvidenceRetention),
        Compacted(EvidenceHead, "evidence chain head checkpoint per chain: a restart resumes from it, not from the whole evidence topic"),
        Log(Inbound, "inbound dossiers and postal tracking for one-stop systems, keyed by receiving agency (DonViXuLy)", _layout.DossierLogRetention),
        Compacted(InboundTable(InboundIntake.SeenTable), "inbound dossiers already taken in (push and pull de-duplication), keyed by dossier"),
        Compacted(InboundTable(InboundPuller.CursorTable), "pull cursor per agency on the national portal"),
        Compacted(InboundTable(KafkaInboundSubscriptions.AckTable), "acknowledged position per inbound subscriber (client) and agency"),
        Compacted(InboundTable(PostalTrackingPoller.CursorTable), "postal tracking cursor: the last entry read from the postal operator's tracking feed"),
        Compacted(InboundTable(PostalTrackingPoller.TrailTable), "postal tracking entries per dossier (at most 50 newest), as GetDossierTrail lists them"),
        Compacted(InboundTable(InboundCatalogue.ProcedureTable), "the national portal's procedure catalogue (LayDanhSachTTHC), keyed by MaTTHC"),
        Compacted(InboundTable(InboundCatalogue.AgencyTable), "the national portal's agency catalogue (LayDanhMucCoQuan), keyed by agency code"),
        Compacted(InboundTable(InboundCatalogue.MetaTable), "when the catalogue was last loaded"),
        Compacted(InboundPullOwners, "no records: its partitions are what the inbound pull group divides among instances (one per agency hash)"),
    ];

    /// <summary>A topic that keeps every record for <paramref name="retention"/> (null = for ever).</summary>
    public TopicSpec Log(string name, string purpose, TimeSpan? retention = null) =>
        new(name, purpose, _layout.Partitions, _layout.ReplicationFactor, _layout.MinInsyncReplicas, TopicSpec.Delete,
            retention is { } r ? (long)r.TotalMilliseconds : TopicSpec.Forever);

    /// <summary>A compacted topic: the latest record per key is kept for ever; a null value deletes the key.</summary>
    public TopicSpec Compacted(string name, string purpose) =>
        new(name, purpose, _layout.Partitions, _layout.ReplicationFactor, _layout.MinInsyncReplicas, TopicSpec.Compact, TopicSpec.Forever);
}

/// <summary>How one topic must be set up: the broker settings the hub relies on.</summary>
public sealed record TopicSpec(string Name, string Purpose, int Partitions, short ReplicationFactor, int MinInsyncReplicas, string CleanupPolicy, long RetentionMs)
{
    public const string Delete = "delete";
    public const string Compact = "compact";

    /// <summary><c>retention.ms</c> of a topic that keeps its records for ever.</summary>
    public const long Forever = -1;

    /// <summary>The topic-level settings to create or alter the topic with.</summary>
    public IReadOnlyDictionary<string, string> Configs => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = CleanupPolicy,
        ["min.insync.replicas"] = MinInsyncReplicas.ToString(CultureInfo.InvariantCulture),
        ["retention.ms"] = RetentionMs.ToString(CultureInfo.InvariantCulture),
    };

    public string RetentionText => RetentionMs == Forever ? "forever" : TimeSpan.FromMilliseconds(RetentionMs).ToString("c", CultureInfo.InvariantCulture);
}
