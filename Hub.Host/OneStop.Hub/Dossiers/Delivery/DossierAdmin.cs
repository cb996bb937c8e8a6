using OneStop.Adapters;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>The admin view of deliveries, answered from this instance's state tables (the dossier index and delivery states).</summary>
public sealed class DossierAdmin(
    DossierIndex index, IDeliveryStateStore states, IDossierEventLog log, IEnumerable<IDeliveryAdapter> adapters, IEvidenceRecorder evidence, TimeProvider time)
    : IDossierAdmin
{
    private readonly IReadOnlyList<string> _destinations = [.. adapters.Select(a => a.Destination)];

    public DossierTrail? GetTrail(string maHoSo)
    {
        var events = index.Events(maHoSo);
        if (events is null)
        {
            return null;
        }

        var current = _destinations.ToDictionary(d => d, d => states.Get(d, maHoSo));
        return new DossierTrail(maHoSo, [.. events.Select(e => new TrailEvent(e.EventId, e.ClientEventId, e.Client, e.TrangThaiHoSo, e.AcceptedAt,
            [.. _destinations.Select(d => Delivery(d, e, current[d]))]))]);
    }

    public IReadOnlyList<ParkedDossier> ListParked(string? destination) =>
        [.. states.Parked(destination)
            .OrderBy(s => s.ParkedAt)
            .Select(s => new ParkedDossier(s.Destination, s.MaHoSo, [.. s.Parked.Select(p => p.EventId)], s.LastError ?? "", s.ParkedAt ?? s.UpdatedAt))];

    public async Task<string> RequestReplayAsync(string destination, string maHoSo, string requestedBy, CancellationToken cancellationToken)
    {
        if (!_destinations.Contains(destination))
        {
            throw HubException.Invalid("destination", $"is not a destination of this hub ({string.Join(", ", _destinations)})");
        }

        if (states.Get(destination, maHoSo) is not { IsParked: true })
        {
            throw new HubException(HubErrorKind.NotFound, $"dossier {maHoSo} has nothing parked at {destination}");
        }

        var request = new ReplayRequest(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), destination, maHoSo, requestedBy, time.GetUtcNow());
        await log.AppendReplayAsync(request, cancellationToken).ConfigureAwait(false);
        await evidence.RecordAsync(new ExchangeRecord
        {
            Client = requestedBy,
            Operation = "AdminService/ReplayParked",
            Time = request.RequestedAt,
            Outcome = "requested",
            Upstream = destination,
            RequestId = request.RequestId,
            MaHoSo = maHoSo,
        }, cancellationToken).ConfigureAwait(false);
        return request.RequestId;
    }

    private static EventDelivery Delivery(string destination, IndexedEvent e, DeliveryState? state)
    {
        if (e.NotWantedBy.Contains(destination))
        {
            return new EventDelivery(destination, DeliveryStatus.NotApplicable, null, null);
        }

        if (state is null)
        {
            return new EventDelivery(destination, DeliveryStatus.Pending, null, null);
        }

        if (state.Delivered.Contains(e.EventId))
        {
            return new EventDelivery(destination, DeliveryStatus.Delivered, null, state.UpdatedAt);
        }

        if (state.Parked.Any(p => p.EventId == e.EventId))
        {
            return new EventDelivery(destination, DeliveryStatus.Parked, state.LastError, state.ParkedAt);
        }

        return state.Retrying == e.EventId
            ? new EventDelivery(destination, DeliveryStatus.Retrying, state.LastError, state.UpdatedAt)
            : new EventDelivery(destination, DeliveryStatus.Pending, null, null);
    }
}
