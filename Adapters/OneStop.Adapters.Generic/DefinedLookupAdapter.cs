using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OneStop.Mappings;

namespace OneStop.Adapters.Generic;

/// <summary>
/// A typed lookup (<see cref="BuiltInLookups"/>) served by the upstream defined in <c>upstreams/&lt;id&gt;.yaml</c>: the
/// canonical query becomes the request mapping's source, the call goes through <see cref="GenericLookupAdapter"/> like
/// any file-defined upstream, and the mapped reply becomes the canonical record. What the upstream is, where it is, how
/// it is called and how its replies say success, refusal or "no record" are all in the definition and its mappings.
/// </summary>
internal sealed class DefinedLookupAdapter<TQuery, TRecord>(
    string upstream, GenericLookupAdapter generic, IMappingSource mappings, JsonTypeInfo<TQuery> queryType, JsonTypeInfo<TRecord> recordType)
    : ILookupAdapter<TQuery, TRecord>
    where TRecord : class
{
    public string Upstream => upstream;

    public Task<UpstreamReply<TRecord>> LookupAsync(TQuery query, UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        // The definition and both mappings from one catalog: a reload in the middle of a call never mixes versions.
        var catalog = mappings.Current;
        if (!catalog.TryGetUpstream(upstream, out var definition))
        {
            // RequiredUpstreams refuses such a catalog; this is only reached by a host that skipped the checks.
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable, $"the mapping folder defines no upstreams/{upstream}.yaml");
        }

        var source = JsonSerializer.SerializeToNode(query, queryType) as JsonObject ?? [];
        source["ma_yeu_cau"] = call.RequestId;
        return generic.CallAsync(catalog, definition, source, call, Read, cancellationToken);
    }

    private TRecord Read(string name, JsonNode mapped)
    {
        try
        {
            return mapped.Deserialize(recordType)
                ?? throw new UpstreamException(name, UpstreamFailure.MalformedReply, "reply mapped to an empty record");
        }
        catch (JsonException e)
        {
            throw new UpstreamException(name, UpstreamFailure.MalformedReply, $"mapped reply does not fit the canonical record at {e.Path}", e);
        }
    }
}

/// <summary>Every catalog the hub uses must define the built-in lookups' upstreams: deleting one is refused, not discovered on the next call.</summary>
internal sealed class RequiredUpstream(string id) : IMappingCatalogCheck
{
    public IEnumerable<MappingError> Check(MappingCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!catalog.TryGetUpstream(id, out _))
        {
            yield return new MappingError($"upstreams/{id}.yaml", "$",
                $"{BuiltInLookups.Operations[id]} is served by upstream '{id}', which the folder no longer defines");
        }
    }
}
