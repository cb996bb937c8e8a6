using System.Text.Json.Serialization;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>One record of the dossier-events topic: an accepted event, or an operator's replay request.</summary>
internal sealed record DossierLogRecord
{
    public const string EventKind = "event";
    public const string ReplayKind = "replay";

    public required string Kind { get; init; }

    public DossierEvent? Event { get; init; }

    public ReplayCommand? Replay { get; init; }
}

internal sealed record ReplayCommand(string RequestId, string Destination, string MaHoSo, string RequestedBy, DateTimeOffset RequestedAt);

/// <summary>
/// Delivery state of one dossier at one destination (compacted topic, key <c>{destination}|{ma_ho_so}</c>).
/// Written before the consumer offset moves, so it is the checkpoint that stops a side effect from being repeated.
/// </summary>
internal sealed record DeliveryStateRecord
{
    public const int KeepDelivered = 200;

    public required string Destination { get; init; }

    public required string MaHoSo { get; init; }

    /// <summary>Events delivered, oldest first (the last <see cref="KeepDelivered"/>).</summary>
    public IReadOnlyList<string> Delivered { get; init; } = [];

    /// <summary>Events waiting behind a refusal, in order; the first is the one that was refused.</summary>
    public IReadOnlyList<DossierEvent> Parked { get; init; } = [];

    /// <summary>Event being retried after a transient failure, if any.</summary>
    public string? Retrying { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? ParkedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public static string KeyOf(string destination, string maHoSo) => $"{destination}|{maHoSo}";

    public DeliveryStateRecord WithDelivered(string eventId, DateTimeOffset now) => this with
    {
        Delivered = [.. Delivered.Skip(Math.Max(0, Delivered.Count - KeepDelivered + 1)), eventId],
        Retrying = null,
        LastError = Parked.Count > 0 ? LastError : null,
        UpdatedAt = now,
    };
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DossierLogRecord))]
[JsonSerializable(typeof(DeliveryStateRecord))]
internal sealed partial class KafkaJson : JsonSerializerContext;
