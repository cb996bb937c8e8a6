using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStop.Mappings;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters;

/// <summary>
/// What the delivery adapters share: the mapping source for an event, mapping it with a request mapping, and
/// posting the result with the hub's idempotency key.
/// </summary>
public static class DeliveryRequests
{
    /// <summary>
    /// The header that carries <see cref="DeliveryCall.IdempotencyKey"/> (or a key derived from it) on every call
    /// that changes something at a destination. Destinations that honour it answer a repeated key with the first
    /// result and no second side effect; the others ignore it.
    /// </summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

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
            return mapping.Apply(source) as JsonObject
                ?? throw new UpstreamException(upstream, UpstreamFailure.Rejected, $"mapping {mapping.VersionTag} produced no request");
        }
        catch (MappingException e)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Rejected, $"the event does not map to a request: {e.Message}", e);
        }
    }

    /// <summary>A JSON POST to <paramref name="path"/> carrying <paramref name="idempotencyKey"/> when given.</summary>
    public static HttpRequestMessage PostJson(string path, JsonObject body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, JsonNodeContext.Default.JsonObject) };
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        return request;
    }

    /// <summary>The text of a reply field that may be a JSON string or number (<c>error_code</c>, <c>Status</c>); null when absent.</summary>
    public static string? CodeText(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Trim(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    /// <summary>A reply message cut to a length safe for exceptions and evidence.</summary>
    public static string Brief(string? message, int max = 200) =>
        string.IsNullOrEmpty(message) ? "" : message.Length <= max ? message : message[..max] + "…";
}
