using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Mocks.Internal;

/// <summary>Reading the loosely typed JSON the destinations receive (codes may come as text or numbers).</summary>
internal static class Json
{
    /// <summary>Compact JSON that keeps Vietnamese letters readable (curl, logs of the fakes).</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body as a JSON object, or null when it is not one.</summary>
    public static JsonObject? ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Text of a string, number or boolean (<c>true</c>/<c>false</c>); null for anything else or empty text.</summary>
    public static string? Text(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>The first of <paramref name="names"/> that is missing or empty in <paramref name="item"/>, or null.</summary>
    public static string? FirstMissing(JsonObject item, params string[] names) =>
        names.FirstOrDefault(n => Text(item[n]) is null);
}
