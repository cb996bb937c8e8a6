using System.Text.Json.Serialization;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>
/// Delivery state of one dossier at one destination: the checkpoint that stops a side effect from being repeated.
/// Every write carries the next <see cref="Version"/>; a store never lets an older version replace a newer one,
/// so a state read back late (from the log, or from another instance) never takes the state back in time.
/// </summary>
public sealed record DeliveryState
{
    /// <summary>Delivered event ids kept per dossier and destination (a dossier has a handful of events).</summary>
    public const int KeepDelivered = 200;

    public required string Destination { get; init; }

    public required string MaHoSo { get; init; }

    /// <summary>Per (destination, dossier) sequence: 1 for the first write, one more for each write after.</summary>
    public long Version { get; init; }

    /// <summary>Events delivered, oldest first (the last <see cref="KeepDelivered"/>).</summary>
    public IReadOnlyList<string> Delivered { get; init; } = [];

    /// <summary>Events waiting behind a refusal, in order; the first is the one that was refused.</summary>
    public IReadOnlyList<DossierEvent> Parked { get; init; } = [];

    /// <summary>Event being retried after a transient failure, if any.</summary>
    public string? Retrying { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? ParkedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool IsParked => Parked.Count > 0;

    public static DeliveryState Empty(string destination, string maHoSo) => new() { Destination = destination, MaHoSo = maHoSo };

    /// <summary>The state to write next: one version on, stamped now.</summary>
    public DeliveryState Next(DateTimeOffset now) => this with { Version = Version + 1, UpdatedAt = now };

    public DeliveryState WithDelivered(string eventId) => this with
    {
        Delivered = [.. Delivered.Skip(Math.Max(0, Delivered.Count - KeepDelivered + 1)), eventId],
        Retrying = null,
        LastError = IsParked ? LastError : null,
    };
}

/// <summary>An operator's request to deliver a parked dossier's queue again, in order (a record on the dossier's own key).</summary>
public sealed record ReplayRequest(string RequestId, string Destination, string MaHoSo, string RequestedBy, DateTimeOffset RequestedAt);

/// <summary>One accepted event as the trail lists it (the dossier index keeps these, not whole events).</summary>
/// <param name="NotWantedBy">Destinations that did not want the event (NOT_APPLICABLE in the trail).</param>
/// <param name="Position">Offset of the event in the dossier log (orders the trail).</param>
public sealed record IndexedEvent(
    string EventId, string ClientEventId, string Client, int TrangThaiHoSo, DateTimeOffset AcceptedAt, IReadOnlyList<string> NotWantedBy, long Position);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeliveryState))]
[JsonSerializable(typeof(IndexedEvent))]
[JsonSerializable(typeof(List<IndexedEvent>))]
internal sealed partial class DeliveryJson : JsonSerializerContext;
