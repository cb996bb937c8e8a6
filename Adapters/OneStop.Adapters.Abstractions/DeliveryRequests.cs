using System.Text.Json;
using System.Text.Json.Nodes;
using OneStop.Mappings;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters;

/// <summary>
/// What the delivery adapters share: the mapping source for an event, and mapping it with a request mapping
/// (posting it is <see cref="UpstreamRequests.PostJson"/> with the hub's idempotency key).
/// </summary>
public static class DeliveryRequests
{
    /// <summary>The event as the canonical JSON the mapping files read, with the upstream's fixed values under <c>upstream.*</c>.</summary>
    public static JsonObject Source(DossierEvent dossierEvent, UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        ArgumentNullException.ThrowIfNull(options);
        var source = JsonSerializer.SerializeToNode(dossierEvent, CanonicalJson.Default.DossierEvent) as JsonObject ?? [];
        var parameters = new JsonObject();
        foreach (var (key, value) in options.Parameters)
        {
            parameters[key] = value;
        }

        source["upstream"] = parameters;
        return source;
    }

    /// <summary>
    /// Applies a request mapping. An event the mapping cannot turn into a request (a required value missing, a
    /// code with no row in a table) cannot be delivered as it is: <see cref="UpstreamFailure.Rejected"/>, so the
    /// hub parks it. The message names the mapping and field, never the value.
    /// </summary>
    public static JsonObject Map(MappingDefinition mapping, JsonObject source, string upstream)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        try
        {
            return mapping.ApplyTraced(source) as JsonObject
                ?? throw new UpstreamException(upstream, UpstreamFailure.Rejected, $"mapping {mapping.VersionTag} produced no request");
        }
        catch (MappingException e)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Rejected, $"the event does not map to a request: {e.Message}", e);
        }
    }
}
