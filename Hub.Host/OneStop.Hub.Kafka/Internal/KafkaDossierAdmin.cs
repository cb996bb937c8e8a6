using OneStop.Adapters;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>The admin view of deliveries, answered from this instance's projection of the Kafka topics.</summary>
internal sealed class KafkaDossierAdmin(
    DossierProjection projection, KafkaDossierEventLog log, IEnumerable<IDeliveryAdapter> adapters, IEvidenceRecorder evidence, TimeProvider time)
    : IDossierAdmin
{
    public DossierTrail? GetTrail(string maHoSo)
    {
        var entry = projection.Dossier(maHoSo);
        if (entry is null)
        {
            return null;
        }

        var states = adapters.ToDictionary(a => a.Destination, a => projection.State(a.Destination, maHoSo));
        var events = entry.Events.Select(e => new TrailEvent(e.EventId, e.ClientEventId, e.Client, e.TrangThaiHoSo, e.AcceptedAt,
            [.. adapters.Select(a => Delivery(a, e, states[a.Destination]))])).ToList();
        return new DossierTrail(maHoSo, events);
    }

    public IReadOnlyList<ParkedDossier> ListParked(string? destination) =>
        [.. projection.States
            .Where(s => s.Parked.Count > 0 && (destination is null || s.Destination == destination))
            .OrderBy(s => s.ParkedAt)
            .Select(s => new ParkedDossier(s.Destination, s.MaHoSo, [.. s.Parked.Select(p => p.EventId)], s.LastError ?? "", s.ParkedAt ?? s.UpdatedAt))];

    public async Task<string> RequestReplayAsync(string destination, string maHoSo, string requestedBy, CancellationToken cancellationToken)
    {
        if (!adapters.Any(a => a.Destination == destination))
        {
            throw HubException.Invalid("destination", $"is not a destination of this hub ({string.Join(", ", adapters.Select(a => a.Destination))})");
        }

        var state = projection.State(destination, maHoSo);
        if (state is null || state.Parked.Count == 0)
        {
            throw new HubException(HubErrorKind.NotFound, $"dossier {maHoSo} has nothing parked at {destination}");
        }

        var command = new ReplayCommand(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), destination, maHoSo, requestedBy, time.GetUtcNow());
        await log.AppendReplayAsync(command, cancellationToken).ConfigureAwait(false);
        await evidence.RecordAsync(new ExchangeRecord
        {
            Client = requestedBy,
            Operation = "AdminService/ReplayParked",
            Time = command.RequestedAt,
            Outcome = "requested",
            Upstream = destination,
            RequestId = command.RequestId,
            MaHoSo = maHoSo,
        }, cancellationToken).ConfigureAwait(false);
        return command.RequestId;
    }

    private static EventDelivery Delivery(IDeliveryAdapter adapter, Schemas.Canonical.DossierEvent e, DeliveryStateRecord? state)
    {
        if (!adapter.Wants(e))
        {
            return new EventDelivery(adapter.Destination, DeliveryStatus.NotApplicable, null, null);
        }

        if (state is null)
        {
            return new EventDelivery(adapter.Destination, DeliveryStatus.Pending, null, null);
        }

        if (state.Delivered.Contains(e.EventId))
        {
            return new EventDelivery(adapter.Destination, DeliveryStatus.Delivered, null, state.UpdatedAt);
        }

        if (state.Parked.Any(p => p.EventId == e.EventId))
        {
            return new EventDelivery(adapter.Destination, DeliveryStatus.Parked, state.LastError, state.ParkedAt);
        }

        return state.Retrying == e.EventId
            ? new EventDelivery(adapter.Destination, DeliveryStatus.Retrying, state.LastError, state.UpdatedAt)
            : new EventDelivery(adapter.Destination, DeliveryStatus.Pending, null, null);
    }
}
