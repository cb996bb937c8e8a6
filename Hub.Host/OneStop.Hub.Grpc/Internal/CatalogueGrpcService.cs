using System.Globalization;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Inbound;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.CatalogueService: the portal's catalogue as the hub last loaded it (its state tables).</summary>
internal sealed class CatalogueGrpcService(InboundCatalogue catalogue) : CatalogueService.CatalogueServiceBase
{
    public override Task<Procedure> GetProcedure(GetProcedureRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.MaTthc))
        {
            throw HubException.Invalid("ma_tthc", "is required");
        }

        var found = catalogue.GetProcedure(request.MaTthc.Trim());
        if (found is null)
        {
            throw catalogue.LastLoad is null
                ? new HubException(HubErrorKind.Unavailable, "the portal's catalogue is not loaded yet")
                : new HubException(HubErrorKind.NotFound, "the loaded catalogue has no procedure with this ma_tthc");
        }

        return Task.FromResult(ToProto(found));
    }

    public override Task<ListProceduresReply> ListProcedures(ListProceduresRequest request, ServerCallContext context)
    {
        var field = request.MaLinhVuc?.Trim() ?? "";
        var reply = new ListProceduresReply { LoadedAt = LoadedAt() };
        reply.Procedures.AddRange(catalogue.ListProcedures().Where(p => field.Length == 0 || p.MaLinhVuc == field).Select(ToProto));
        return Task.FromResult(reply);
    }

    public override Task<ListAgenciesReply> ListAgencies(ListAgenciesRequest request, ServerCallContext context)
    {
        var reply = new ListAgenciesReply { LoadedAt = LoadedAt() };
        reply.Agencies.AddRange(catalogue.ListAgencies().Select(a => new Agency { MaCoQuan = a.MaCoQuan, TenCoQuan = a.TenCoQuan }));
        return Task.FromResult(reply);
    }

    private string LoadedAt() => catalogue.LastLoad is { } load ? load.LoadedAt.ToString("O", CultureInfo.InvariantCulture) : "";

    private static Procedure ToProto(CatalogueProcedure p) => new()
    {
        MaTthc = p.MaTthc, TenTthc = p.TenTthc, MaLinhVuc = p.MaLinhVuc ?? "", TenLinhVuc = p.TenLinhVuc ?? "",
    };
}
