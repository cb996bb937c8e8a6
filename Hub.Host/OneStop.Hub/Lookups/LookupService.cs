using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneStop.Adapters;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Lookups;

/// <summary>
/// The lookup flow: validate the identifiers, call the upstream through its adapter, turn every failure
/// into a <see cref="HubException"/> a caller can act on, and log the exchange with personal data masked.
/// Transports (gRPC, SOAP) translate to and from the canonical records and call this.
/// </summary>
public sealed partial class LookupService
{
    public const string MeterName = "OneStop.Hub";

    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<LookupService> _logger;
    private readonly Counter<long> _lookups;
    private readonly Histogram<double> _duration;

    public LookupService(IServiceProvider services, TimeProvider time, ILogger<LookupService> logger, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _services = services;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _lookups = meter.CreateCounter<long>("onestop.lookups", description: "Lookups answered, by operation and outcome");
        _duration = meter.CreateHistogram<double>("onestop.lookup.duration", unit: "s", description: "Lookup time including the upstream call");
    }

    public Task<LookupResult<CongDan>> VerifyCitizenAsync(CitizenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = LookupValidation.Validate(query, _time.GetUtcNow());
        return RunAsync<CitizenQuery, CongDan>("VerifyCitizen", query, query.SoDinhDanh ?? query.SoCmnd,
            "no citizen in the population database matches so_dinh_danh/so_cmnd with the details given", cancellationToken);
    }

    public Task<LookupResult<DoanhNghiep>> GetEnterpriseAsync(EnterpriseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = LookupValidation.Validate(query);
        return RunAsync<EnterpriseQuery, DoanhNghiep>("GetEnterprise", query, query.MaSoDoanhNghiep,
            "no business with this ma_so_doanh_nghiep in the business-registration database", cancellationToken);
    }

    public Task<LookupResult<SoBhxh>> GetInsuranceAsync(InsuranceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = LookupValidation.Validate(query, _time.GetUtcNow());
        return RunAsync<InsuranceQuery, SoBhxh>("GetInsurance", query, query.MaSoBhxh ?? query.SoDinhDanh,
            "no insurance record for this ma_so_bhxh/so_dinh_danh in the social-insurance database", cancellationToken);
    }

    public Task<LookupResult<ThuaDat>> GetLandParcelAsync(LandParcelQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = LookupValidation.Validate(query);
        return RunAsync<LandParcelQuery, ThuaDat>("GetLandParcel", query, $"{query.MaPhuongXa}/{query.SoHieuBanDo}/{query.SoThuTuThua}",
            "no parcel with this ma_phuong_xa, so_hieu_ban_do and so_thu_tu_thua in the land database", cancellationToken);
    }

    private async Task<LookupResult<TRecord>> RunAsync<TQuery, TRecord>(
        string operation, TQuery query, string? subject, string notFound, CancellationToken cancellationToken)
        where TRecord : class
    {
        var adapter = _services.GetService<ILookupAdapter<TQuery, TRecord>>()
            ?? throw new HubException(HubErrorKind.Unavailable, $"{operation} is not configured on this hub (no adapter registered)");
        var requestId = Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");
        var started = _time.GetTimestamp();
        var outcome = "error";
        try
        {
            var reply = await adapter.LookupAsync(query, new UpstreamCall(requestId), cancellationToken).ConfigureAwait(false);
            if (reply.Record is null)
            {
                outcome = "not_found";
                throw new HubException(HubErrorKind.NotFound, notFound, upstream: adapter.Upstream);
            }

            outcome = "ok";
            return new LookupResult<TRecord>(reply.Record, new LookupMeta
            {
                MaYeuCau = requestId,
                Nguon = adapter.Upstream,
                MappingVersion = reply.MappingVersion,
            });
        }
        catch (UpstreamException e)
        {
            outcome = e.Failure.ToString();
            throw new HubException(Translate(e.Failure), e.Message, upstream: e.Upstream, inner: e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            var elapsed = _time.GetElapsedTime(started);
            var tags = new TagList { { "operation", operation }, { "upstream", adapter.Upstream }, { "outcome", outcome } };
            _lookups.Add(1, tags);
            _duration.Record(elapsed.TotalSeconds, tags);
            LogLookup(operation, adapter.Upstream, PersonalData.MaskId(subject), outcome, requestId, elapsed.TotalMilliseconds);
        }
    }

    private static HubErrorKind Translate(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.Timeout => HubErrorKind.Timeout,
        UpstreamFailure.MalformedReply => HubErrorKind.UpstreamMalformed,
        UpstreamFailure.Rejected => HubErrorKind.UpstreamRejected,
        _ => HubErrorKind.Unavailable,
    };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Operation} via {Upstream} for {Subject}: {Outcome} (request {RequestId}, {ElapsedMs:0.0} ms)")]
    private partial void LogLookup(string operation, string upstream, string subject, string outcome, string requestId, double elapsedMs);
}
