using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using OneStop.Mappings;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Lookups;

/// <summary>
/// The lookup flow: validate the identifiers, call the upstream through its adapter, turn every failure
/// into a <see cref="HubException"/> a caller can act on, and hand the exchange to <see cref="Exchanges"/>, which
/// counts, logs (personal data masked) and records it. Transports (gRPC, SOAP) translate to and from the canonical records and call this.
/// </summary>
public sealed class LookupService
{
    public const string MeterName = "OneStop.Hub";

    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly Exchanges _exchanges;
    private readonly ICallerAccessor _caller;
    private readonly IAccessPolicy _access;

    public LookupService(IServiceProvider services, TimeProvider time, Exchanges exchanges, ICallerAccessor caller, IAccessPolicy access)
    {
        _services = services;
        _time = time;
        _exchanges = exchanges;
        _caller = caller;
        _access = access;
    }

    public Task<LookupResult<CongDan>> VerifyCitizenAsync(CitizenQuery query, CancellationToken cancellationToken) =>
        RunAsync(new Lookup<CitizenQuery, CongDan>(
            "VerifyCitizen", CanonicalJson.Default.CitizenQuery, CanonicalJson.Default.CongDan,
            q => LookupValidation.Validate(q, _time.GetUtcNow()), q => q.SoDinhDanh ?? q.SoCmnd, q => q.Context,
            "no citizen in the population database matches so_dinh_danh/so_cmnd with the details given"), query, cancellationToken);

    public Task<LookupResult<DoanhNghiep>> GetEnterpriseAsync(EnterpriseQuery query, CancellationToken cancellationToken) =>
        RunAsync(new Lookup<EnterpriseQuery, DoanhNghiep>(
            "GetEnterprise", CanonicalJson.Default.EnterpriseQuery, CanonicalJson.Default.DoanhNghiep,
            LookupValidation.Validate, q => q.MaSoDoanhNghiep, q => q.Context,
            "no business with this ma_so_doanh_nghiep in the business-registration database"), query, cancellationToken);

    public Task<LookupResult<SoBhxh>> GetInsuranceAsync(InsuranceQuery query, CancellationToken cancellationToken) =>
        RunAsync(new Lookup<InsuranceQuery, SoBhxh>(
            "GetInsurance", CanonicalJson.Default.InsuranceQuery, CanonicalJson.Default.SoBhxh,
            q => LookupValidation.Validate(q, _time.GetUtcNow()), q => q.MaSoBhxh ?? q.SoDinhDanh, q => q.Context,
            "no insurance record for this ma_so_bhxh/so_dinh_danh in the social-insurance database"), query, cancellationToken);

    public Task<LookupResult<ThuaDat>> GetLandParcelAsync(LandParcelQuery query, CancellationToken cancellationToken) =>
        RunAsync(new Lookup<LandParcelQuery, ThuaDat>(
            "GetLandParcel", CanonicalJson.Default.LandParcelQuery, CanonicalJson.Default.ThuaDat,
            LookupValidation.Validate, q => $"{q.MaPhuongXa}/{q.SoHieuBanDo}/{q.SoThuTuThua}", q => q.Context,
            "no parcel with this ma_phuong_xa, so_hieu_ban_do and so_thu_tu_thua in the land database"), query, cancellationToken);

    /// <summary>
    /// A lookup on an upstream defined by files only (<c>upstreams/&lt;id&gt;.yaml</c> and its two mappings): the
    /// definition and the mappings are taken from one catalog, so a reload during the call never mixes versions.
    /// </summary>
    public Task<LookupResult<JsonObject>> GenericLookupAsync(GenericLookupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var catalog = _services.GetService<IMappingSource>()?.Current;
        UpstreamDefinition? definition = null;
        if (catalog is not null && query.Upstream?.Trim() is { Length: > 0 } id)
        {
            catalog.TryGetUpstream(id, out definition);
        }

        var adapter = _services.GetService<IGenericLookupAdapter>();
        var shim = adapter is null || catalog is null ? null : new GenericAdapter(adapter, catalog, definition);
        return RunAsync(new Lookup<GenericLookupQuery, JsonObject>(
            "GenericLookup", GenericLookupJson.Default.GenericLookupQuery, GenericLookupJson.Default.JsonObject,
            q => GenericLookupValidation.Validate(q, catalog), _ => null, q => q.Context,
            "the upstream holds no record for the parameters given"), query, shim, cancellationToken);
    }

    private Task<LookupResult<TRecord>> RunAsync<TQuery, TRecord>(Lookup<TQuery, TRecord> lookup, TQuery query, CancellationToken cancellationToken)
        where TRecord : class =>
        RunAsync(lookup, query, _services.GetService<ILookupAdapter<TQuery, TRecord>>(), cancellationToken);

    private async Task<LookupResult<TRecord>> RunAsync<TQuery, TRecord>(
        Lookup<TQuery, TRecord> lookup, TQuery query, ILookupAdapter<TQuery, TRecord>? adapter, CancellationToken cancellationToken)
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(query);
        var upstream = adapter?.Upstream ?? "none";
        var requestId = Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");
        var started = _time.GetTimestamp();
        var context = lookup.Context(query);
        var outcome = ExchangeOutcome.Internal;
        string? mappingVersion = null;
        string? responseDigest = null;
        try
        {
            query = lookup.Validate(query);
            _access.CheckPurpose(_caller.ClientId, context?.MucDich).Demand();
            if (adapter is null)
            {
                throw new HubException(HubErrorKind.Unavailable, $"{lookup.Operation} is not configured on this hub (no adapter registered)");
            }

            var reply = await adapter.LookupAsync(query, new UpstreamCall(requestId), cancellationToken).ConfigureAwait(false);
            mappingVersion = reply.MappingVersions;
            if (reply.Record is null)
            {
                throw new HubException(HubErrorKind.NotFound, lookup.NotFound, upstream: upstream);
            }

            responseDigest = ExchangeRecord.Digest(JsonSerializer.SerializeToUtf8Bytes(reply.Record, lookup.RecordType));
            outcome = ExchangeOutcome.Ok;
            return new LookupResult<TRecord>(reply.Record, new LookupMeta
            {
                MaYeuCau = requestId,
                Nguon = upstream,
                MappingVersion = reply.MappingVersion,
            });
        }
        catch (HubException e)
        {
            outcome = ExchangeOutcome.Of(e.Kind);
            throw;
        }
        catch (UpstreamException e)
        {
            var kind = HubException.KindOf(e.Failure);
            outcome = ExchangeOutcome.Of(kind);
            throw new HubException(kind, e.Message, upstream: e.Upstream, inner: e);
        }
        catch (MappingException e)
        {
            // The request mapping could not build the upstream request from what the caller sent (reply mappings
            // fail as malformed replies inside the adapter). The message names mapping, field and rule, never a value.
            outcome = ExchangeOutcome.Of(HubErrorKind.InvalidArgument);
            throw new HubException(HubErrorKind.InvalidArgument, e.Message, field: "request", inner: e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = ExchangeOutcome.Cancelled;
            throw;
        }
        finally
        {
            var lookedUp = new LookupExchange(lookup.Operation, PersonalData.MaskId(lookup.Subject(query)), _time.GetElapsedTime(started));
            await _exchanges.LookupAsync(lookedUp, new ExchangeRecord
            {
                Client = _caller.ClientId ?? "anonymous",
                Operation = $"LookupService/{lookup.Operation}",
                Purpose = context?.MucDich,
                MaHoSo = context?.MaHoSo,
                Time = _time.GetUtcNow(),
                Outcome = outcome,
                RequestDigest = ExchangeRecord.Digest(JsonSerializer.SerializeToUtf8Bytes(query, lookup.QueryType)),
                ResponseDigest = responseDigest,
                MappingVersion = mappingVersion,
                Upstream = upstream,
                RequestId = requestId,
            }).ConfigureAwait(false);
        }
    }

    /// <summary>The generic lookup as an adapter of the flow above: parameters, context and request id become the mapping's source.</summary>
    private sealed class GenericAdapter(IGenericLookupAdapter adapter, MappingCatalog catalog, UpstreamDefinition? definition)
        : ILookupAdapter<GenericLookupQuery, JsonObject>
    {
        // Never the caller's text: metrics are tagged with it, and an unknown id is refused before any call.
        public string Upstream => definition?.Id ?? "unknown";

        public Task<UpstreamReply<JsonObject>> LookupAsync(GenericLookupQuery query, UpstreamCall call, CancellationToken cancellationToken)
        {
            var source = new JsonObject();
            foreach (var (name, value) in query.Parameters)
            {
                source[name] = value;
            }

            source["context"] = JsonSerializer.SerializeToNode(query.Context, GenericLookupJson.Default.LookupContext);
            source["ma_yeu_cau"] = call.RequestId;
            return adapter.LookupAsync(catalog, definition!, source, call, cancellationToken);
        }
    }

    /// <summary>What differs between the four lookups: names, JSON shapes, validation, and the masked subject for logs.</summary>
    private sealed record Lookup<TQuery, TRecord>(
        string Operation,
        JsonTypeInfo<TQuery> QueryType,
        JsonTypeInfo<TRecord> RecordType,
        Func<TQuery, TQuery> Validate,
        Func<TQuery, string?> Subject,
        Func<TQuery, LookupContext?> Context,
        string NotFound);
}
