using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Adapters;

/// <summary>How every adapter builds its HTTP requests from a mapped body, and reads codes and messages from replies.</summary>
public static class UpstreamRequests
{
    /// <summary>
    /// The header that carries <see cref="DeliveryCall.IdempotencyKey"/> (or a key derived from it) on every call
    /// that changes something at a destination. Destinations that honour it answer a repeated key with the first
    /// result and no second side effect; the others ignore it.
    /// </summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>A JSON POST to <paramref name="path"/>, carrying <paramref name="idempotencyKey"/> when given.</summary>
    public static HttpRequestMessage PostJson(string path, JsonObject body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, JsonNodeContext.Default.JsonObject) };
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        return request;
    }

    /// <summary>A GET to <paramref name="path"/> with every top-level value of <paramref name="parameters"/> as a query-string parameter.</summary>
    public static HttpRequestMessage GetWithQuery(string path, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        var uri = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            uri.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
            separator = '&';
        }

        return new HttpRequestMessage(HttpMethod.Get, uri.ToString());
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

[System.Text.Json.Serialization.JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
