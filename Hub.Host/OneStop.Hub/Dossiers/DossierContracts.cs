using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Dossiers;

/// <summary>Where the hub keeps accepted dossier events: appended durably, in each dossier's order.</summary>
public interface IDossierEventLog
{
    /// <summary>Appends the event; completes only when the log holds it durably (Kafka acks=all).</summary>
    Task AppendAsync(DossierEvent dossierEvent, CancellationToken cancellationToken);

    /// <summary>True when an event with this id is already in the log (as far as this instance has seen it).</summary>
    bool Contains(string eventId);

    /// <summary>Appends an operator's replay request on the dossier's own key, so the owner of its events handles it in order.</summary>
    Task AppendReplayAsync(Delivery.ReplayRequest request, CancellationToken cancellationToken);
}

/// <summary>Delivery state of one dossier at one destination, as the admin API shows it.</summary>
public enum DeliveryStatus
{
    /// <summary>Wanted by the destination, not delivered yet.</summary>
    Pending,

    /// <summary>Delivered (the destination confirmed the side effect).</summary>
    Delivered,

    /// <summary>The destination failed transiently; the hub keeps trying with backoff.</summary>
    Retrying,

    /// <summary>The destination kept refusing this dossier's event: it and the dossier's later events wait for a replay.</summary>
    Parked,

    /// <summary>The destination does not want this event (e.g. postal, for a result returned in person).</summary>
    NotApplicable,
}

public sealed record EventDelivery(string Destination, DeliveryStatus Status, string? LastError, DateTimeOffset? UpdatedAt);

public sealed record TrailEvent(string EventId, string ClientEventId, string Client, int TrangThaiHoSo, DateTimeOffset AcceptedAt, IReadOnlyList<EventDelivery> Deliveries);

public sealed record DossierTrail(string MaHoSo, IReadOnlyList<TrailEvent> Events);

public sealed record ParkedDossier(string Destination, string MaHoSo, IReadOnlyList<string> EventIds, string LastError, DateTimeOffset ParkedAt);

/// <summary>What an operator can see and do about deliveries.</summary>
public interface IDossierAdmin
{
    DossierTrail? GetTrail(string maHoSo);

    IReadOnlyList<ParkedDossier> ListParked(string? destination);

    /// <summary>Asks the owner of the dossier to deliver its parked events again, in order. Returns the request id.</summary>
    Task<string> RequestReplayAsync(string destination, string maHoSo, string requestedBy, CancellationToken cancellationToken);
}
