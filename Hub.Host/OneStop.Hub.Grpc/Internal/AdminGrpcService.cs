using System.Globalization;
using Grpc.Core;
using OneStop.Grpc.V1;
using Proto = OneStop.Grpc.V1;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Evidence;
using OneStop.Hub.Inbound;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.AdminService: dossier trails, parked deliveries and replays.</summary>
internal sealed class AdminGrpcService(IDossierAdmin admin, ICallerAccessor caller, IEnumerable<IPostalTrackingTrail> postal) : AdminService.AdminServiceBase
{
    public override Task<Proto.DossierTrail> GetDossierTrail(GetDossierTrailRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.MaHoSo))
        {
            throw HubException.Invalid("ma_ho_so", "is required");
        }

        var trail = admin.GetTrail(request.MaHoSo.Trim())
            ?? throw new HubException(HubErrorKind.NotFound, "the hub holds no events for this ma_ho_so");
        var reply = new Proto.DossierTrail { MaHoSo = trail.MaHoSo };
        reply.Events.AddRange(trail.Events.Select(e =>
        {
            var item = new Proto.TrailEvent
            {
                EventId = e.EventId, ClientEventId = e.ClientEventId, Client = e.Client, TrangThaiHoSo = e.TrangThaiHoSo, AcceptedAt = Iso(e.AcceptedAt),
            };
            item.Deliveries.AddRange(e.Deliveries.Select(d => new DestinationDelivery
            {
                Destination = d.Destination, State = ToProto(d.Status), LastError = d.LastError ?? "", UpdatedAt = d.UpdatedAt is { } u ? Iso(u) : "",
            }));
            return item;
        }));
        reply.PostalTracking.AddRange(postal.SelectMany(p => p.TrailOf(trail.MaHoSo)).Select(t => new PostalTrackingEntry
        {
            TrackingId = t.TrackingId, Stage = t.Stage, StatusCode = t.StatusCode, StatusMessage = t.StatusMessage ?? "",
            EventTime = t.EventTime is { } at ? Iso(at) : "", PostOffice = t.PostOffice ?? "", ItemCode = t.ItemCode ?? "",
        }));
        return Task.FromResult(reply);
    }

    public override Task<ListParkedReply> ListParked(ListParkedRequest request, ServerCallContext context)
    {
        var reply = new ListParkedReply();
        reply.Parked.AddRange(admin.ListParked(string.IsNullOrWhiteSpace(request.Destination) ? null : request.Destination).Select(p =>
        {
            var item = new Proto.ParkedDossier { Destination = p.Destination, MaHoSo = p.MaHoSo, LastError = p.LastError, ParkedAt = Iso(p.ParkedAt) };
            item.EventIds.AddRange(p.EventIds);
            return item;
        }));
        return Task.FromResult(reply);
    }

    public override async Task<ReplayParkedReply> ReplayParked(ReplayParkedRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Destination))
        {
            throw HubException.Invalid("destination", "is required");
        }

        if (string.IsNullOrWhiteSpace(request.MaHoSo))
        {
            throw HubException.Invalid("ma_ho_so", "is required");
        }

        var id = await admin.RequestReplayAsync(request.Destination.Trim(), request.MaHoSo.Trim(), caller.ClientId ?? "anonymous", context.CancellationToken)
            .ConfigureAwait(false);
        return new ReplayParkedReply { RequestId = id };
    }

    private static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    private static DeliveryState ToProto(DeliveryStatus s) => s switch
    {
        DeliveryStatus.Pending => DeliveryState.Pending,
        DeliveryStatus.Delivered => DeliveryState.Delivered,
        DeliveryStatus.Retrying => DeliveryState.Retrying,
        DeliveryStatus.Parked => DeliveryState.Parked,
        DeliveryStatus.NotApplicable => DeliveryState.NotApplicable,
        _ => DeliveryState.Unspecified,
    };
}
