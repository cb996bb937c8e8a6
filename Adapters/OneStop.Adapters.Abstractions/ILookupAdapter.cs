using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>
/// The contract every lookup adapter fulfils: take a canonical query, ask one upstream system,
/// and hand back the canonical record (or none when the upstream does not hold it).
/// Failures are thrown as <see cref="UpstreamException"/>.
/// </summary>
public interface ILookupAdapter<in TQuery, TRecord>
    where TRecord : class
{
    /// <summary>Short upstream name used in errors, metrics and evidence: population, business, …</summary>
    string Upstream { get; }

    Task<UpstreamReply<TRecord>> LookupAsync(TQuery query, UpstreamCall call, CancellationToken cancellationToken);
}

/// <summary>What the hub passes along with each upstream call.</summary>
/// <param name="RequestId">Request id sent upstream (MaYeuCau) and recorded as evidence.</param>
public sealed record UpstreamCall(string RequestId);

/// <param name="Record">The record, or null when the upstream says it holds none.</param>
/// <param name="MappingVersion">id@version of the reply mapping that produced the record.</param>
/// <param name="RequestMappingVersion">id@version of the request mapping that built the upstream request, when one did.</param>
public sealed record UpstreamReply<TRecord>(TRecord? Record, string MappingVersion, string? RequestMappingVersion = null)
    where TRecord : class
{
    /// <summary>Every mapping the exchange used, as evidence records it: <c>population.request@2,population.reply@1</c>.</summary>
    public string MappingVersions => RequestMappingVersion is null ? MappingVersion : $"{RequestMappingVersion},{MappingVersion}";
}

/// <summary>
/// Calls upstreams defined by files (<c>upstreams/&lt;id&gt;.yaml</c>): maps the parameters with the upstream's request
/// mapping, calls it over REST or SOAP, and maps the reply with its reply mapping. The definition and both mappings
/// come from one <see cref="MappingCatalog"/> the caller took, so a reload mid-call never mixes versions.
/// </summary>
public interface IGenericLookupAdapter
{
    /// <param name="source">Parameters at the top level, <c>context</c>, and <c>ma_yeu_cau</c>; the adapter adds <c>upstream.*</c>.</param>
    Task<UpstreamReply<System.Text.Json.Nodes.JsonObject>> LookupAsync(
        MappingCatalog catalog, UpstreamDefinition upstream, System.Text.Json.Nodes.JsonObject source, UpstreamCall call, CancellationToken cancellationToken);
}
