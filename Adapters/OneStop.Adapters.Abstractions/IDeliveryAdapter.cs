using OneStop.Schemas.Canonical;

namespace OneStop.Adapters;

/// <summary>
/// The contract every destination of dossier events fulfils (national portal, EMC, postal operator).
/// The hub calls <see cref="DeliverAsync"/> at least once per wanted event, in each dossier's order, and
/// never again after it succeeded; the adapter makes a repeat harmless at the destination (idempotency key,
/// or the destination's own natural key), because a crash between the side effect and the hub's checkpoint
/// repeats the call.
/// </summary>
public interface IDeliveryAdapter
{
    /// <summary>Destination name used in topics, consumer groups, admin calls and evidence: portal, emc, postal.</summary>
    string Destination { get; }

    /// <summary>Whether this destination wants this event at all (e.g. postal only for results returned by post).</summary>
    bool Wants(DossierEvent dossierEvent);

    /// <summary>
    /// Performs the side effect. Throws <see cref="UpstreamException"/>: Unavailable/Timeout are retried by the
    /// hub (the destination is down); Rejected/MalformedReply park the dossier at this destination.
    /// </summary>
    Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken);
}

/// <param name="IdempotencyKey">Stable for this event at this destination: <c>{event_id}:{destination}</c>.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="DeliveredBefore">
/// The hub's checkpoint says this destination has taken an earlier event of the same dossier, so the destination
/// knows the dossier (unless someone removed it there since): an adapter may skip asking whether it exists.
/// </param>
public sealed record DeliveryCall(string IdempotencyKey, int Attempt, bool DeliveredBefore = false);

/// <param name="Action">What was done, e.g. <c>DongBoHoSoMC isUpdating=True</c>, <c>order created</c>, <c>skipped: already delivered</c>.</param>
/// <param name="MappingVersion">id@version of the mapping that produced the request.</param>
public sealed record DeliveryReceipt(string Action, string? MappingVersion);
