using Grpc.Core;
using OneStop.Grpc.V1;
using Canonical = OneStop.Schemas.Canonical;
using Core = OneStop.Hub.Lookups;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.LookupService: translates protos to canonical queries and hands them to the core.</summary>
internal sealed class LookupGrpcService(Core.LookupService lookups) : LookupService.LookupServiceBase
{
    public override async Task<VerifyCitizenReply> VerifyCitizen(VerifyCitizenRequest request, ServerCallContext context)
    {
        var result = await lookups.VerifyCitizenAsync(new Canonical.CitizenQuery
        {
            SoDinhDanh = request.SoDinhDanh,
            SoCmnd = request.SoCmnd,
            HoVaTen = request.HoVaTen,
            NgayThangNamSinh = request.NgayThangNamSinh,
            Context = ProtoTranslation.ToCanonical(request.Context),
        }, context.CancellationToken).ConfigureAwait(false);
        return new VerifyCitizenReply { CongDan = ProtoTranslation.ToProto(result.Record), Meta = ProtoTranslation.ToProto(result.Meta) };
    }

    public override async Task<GetEnterpriseReply> GetEnterprise(GetEnterpriseRequest request, ServerCallContext context)
    {
        var result = await lookups.GetEnterpriseAsync(new Canonical.EnterpriseQuery
        {
            MaSoDoanhNghiep = request.MaSoDoanhNghiep,
            Context = ProtoTranslation.ToCanonical(request.Context),
        }, context.CancellationToken).ConfigureAwait(false);
        return new GetEnterpriseReply { DoanhNghiep = ProtoTranslation.ToProto(result.Record), Meta = ProtoTranslation.ToProto(result.Meta) };
    }

    public override async Task<GetInsuranceReply> GetInsurance(GetInsuranceRequest request, ServerCallContext context)
    {
        var result = await lookups.GetInsuranceAsync(new Canonical.InsuranceQuery
        {
            MaSoBhxh = request.MaSoBhxh,
            SoDinhDanh = request.SoDinhDanh,
            Context = ProtoTranslation.ToCanonical(request.Context),
        }, context.CancellationToken).ConfigureAwait(false);
        return new GetInsuranceReply { SoBhxh = ProtoTranslation.ToProto(result.Record), Meta = ProtoTranslation.ToProto(result.Meta) };
    }

    public override async Task<GetLandParcelReply> GetLandParcel(GetLandParcelRequest request, ServerCallContext context)
    {
        var result = await lookups.GetLandParcelAsync(new Canonical.LandParcelQuery
        {
            MaPhuongXa = request.MaPhuongXa,
            SoHieuBanDo = request.SoHieuBanDo,
            SoThuTuThua = request.SoThuTuThua,
            Context = ProtoTranslation.ToCanonical(request.Context),
        }, context.CancellationToken).ConfigureAwait(false);
        return new GetLandParcelReply { ThuaDat = ProtoTranslation.ToProto(result.Record), Meta = ProtoTranslation.ToProto(result.Meta) };
    }
}
