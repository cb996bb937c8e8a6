using System.ServiceModel;
using Microsoft.Extensions.Logging;
using OneStop.Schemas.Soap;
using Canonical = OneStop.Schemas.Canonical;
using Core = OneStop.Hub.Lookups;

namespace OneStop.Hub.Soap.Internal;

/// <summary>The lookups on SOAP: translates the SOAP data contracts to canonical queries and hands them to the core.</summary>
internal sealed class LookupSoapService(Core.LookupService lookups, SoapFaults faults) : ILookupSoap
{
    public Task<VerifyCitizenReply> VerifyCitizen(VerifyCitizenRequest request) => faults.Guard(async () =>
    {
        var r = Require(request);
        var result = await lookups.VerifyCitizenAsync(new Canonical.CitizenQuery
        {
            SoDinhDanh = r.SoDinhDanh,
            SoCmnd = r.SoCMND,
            HoVaTen = r.HoVaTen,
            NgayThangNamSinh = r.NgayThangNamSinh,
            Context = SoapTranslation.ToCanonical(r.Context),
        }, CancellationToken.None).ConfigureAwait(false);
        return new VerifyCitizenReply { CongDan = SoapTranslation.ToSoap(result.Record), Meta = SoapTranslation.ToSoap(result.Meta) };
    });

    public Task<GetEnterpriseReply> GetEnterprise(GetEnterpriseRequest request) => faults.Guard(async () =>
    {
        var r = Require(request);
        var result = await lookups.GetEnterpriseAsync(new Canonical.EnterpriseQuery
        {
            MaSoDoanhNghiep = r.MaSoDoanhNghiep,
            Context = SoapTranslation.ToCanonical(r.Context),
        }, CancellationToken.None).ConfigureAwait(false);
        return new GetEnterpriseReply { DoanhNghiep = SoapTranslation.ToSoap(result.Record), Meta = SoapTranslation.ToSoap(result.Meta) };
    });

    public Task<GetInsuranceReply> GetInsurance(GetInsuranceRequest request) => faults.Guard(async () =>
    {
        var r = Require(request);
        var result = await lookups.GetInsuranceAsync(new Canonical.InsuranceQuery
        {
            MaSoBhxh = r.MaSoBHXH,
            SoDinhDanh = r.SoDinhDanh,
            Context = SoapTranslation.ToCanonical(r.Context),
        }, CancellationToken.None).ConfigureAwait(false);
        return new GetInsuranceReply { SoBHXH = SoapTranslation.ToSoap(result.Record), Meta = SoapTranslation.ToSoap(result.Meta) };
    });

    public Task<GetLandParcelReply> GetLandParcel(GetLandParcelRequest request) => faults.Guard(async () =>
    {
        var r = Require(request);
        var result = await lookups.GetLandParcelAsync(new Canonical.LandParcelQuery
        {
            MaPhuongXa = r.MaPhuongXa,
            SoHieuBanDo = r.SoHieuBanDo,
            SoThuTuThua = r.SoThuTuThua,
            Context = SoapTranslation.ToCanonical(r.Context),
        }, CancellationToken.None).ConfigureAwait(false);
        return new GetLandParcelReply { ThuaDat = SoapTranslation.ToSoap(result.Record), Meta = SoapTranslation.ToSoap(result.Meta) };
    });

    private static T Require<T>(T? request)
        where T : class =>
        request ?? throw HubException.Invalid("request", "the operation's request element is missing or empty");
}

/// <summary>
/// Turns hub failures into SOAP faults with a <see cref="LookupFault"/> detail naming the SOAP field or the
/// upstream. Faults are <c>s:Client</c> faults for bad input and <c>s:Server</c> faults otherwise. Anything
/// unexpected becomes a Server fault with an error id; the exception is logged, never sent.
/// </summary>
internal sealed partial class SoapFaults(ILogger<SoapFaults> logger)
{
    public async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (HubException e)
        {
            var field = e.Field is null ? null : SoapTranslation.SoapFieldName(e.Field);
            var message = e.Field is null ? e.Message : field + e.Message[e.Field.Length..];
            throw Fault(e.Kind, message, field, e.Upstream);
        }
        catch (Exception e) when (e is not FaultException)
        {
            var errorId = Guid.NewGuid().ToString("N")[..12];
            LogUnhandled(e, errorId);
            var message = $"internal error in the hub; quote error id {errorId}";
            throw Fault("INTERNAL", message, sender: false);
        }
    }

    /// <summary>The SOAP fault for a hub failure: a Client (sender) fault for what the caller can fix, a Server fault otherwise.</summary>
    internal static FaultException<LookupFault> Fault(HubErrorKind kind, string message, string? field = null, string? upstream = null)
    {
        var sender = kind is HubErrorKind.InvalidArgument or HubErrorKind.NotFound or HubErrorKind.Unauthenticated
            or HubErrorKind.PermissionDenied or HubErrorKind.ResourceExhausted;
        return Fault(SoapCode(kind), message, sender, field, upstream);
    }

    /// <summary>
    /// A fault with a <see cref="LookupFault"/> detail and the SOAP 1.1 fault code (the endpoints speak SOAP 1.1 only):
    /// <c>s:Client</c> when the caller can fix the request, <c>s:Server</c> when the hub or an upstream failed. SOAP 1.1
    /// has no subcodes; the hub's own code travels in the detail's <c>Code</c>.
    /// </summary>
    internal static FaultException<LookupFault> Fault(string code, string message, bool sender, string? field = null, string? upstream = null) =>
        new(new LookupFault { Code = code, Field = field, Upstream = upstream, Message = message },
            new FaultReason(message), new FaultCode(sender ? "Client" : "Server"), null);

    /// <summary>The same names as gRPC status codes, so one table of errors serves both transports.</summary>
    internal static string SoapCode(HubErrorKind kind) => kind switch
    {
        HubErrorKind.InvalidArgument => "INVALID_ARGUMENT",
        HubErrorKind.NotFound => "NOT_FOUND",
        HubErrorKind.Unavailable => "UNAVAILABLE",
        HubErrorKind.Timeout => "DEADLINE_EXCEEDED",
        HubErrorKind.UpstreamMalformed => "DATA_LOSS",
        HubErrorKind.UpstreamRejected => "FAILED_PRECONDITION",
        HubErrorKind.Unauthenticated => "UNAUTHENTICATED",
        HubErrorKind.PermissionDenied => "PERMISSION_DENIED",
        HubErrorKind.ResourceExhausted => "RESOURCE_EXHAUSTED",
        _ => "INTERNAL",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in a SOAP operation (error id {ErrorId})")]
    private partial void LogUnhandled(Exception exception, string errorId);
}
