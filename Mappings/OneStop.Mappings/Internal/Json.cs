using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

/// <summary>Small helpers over <see cref="JsonNode"/> used on the hot path.</summary>
internal static class Json
{
    /// <summary>Absent = no node, a JSON null or an empty string.</summary>
    public static bool IsAbsent(JsonNode? node)
    {
        if (node is null)
        {
            return true;
        }

        if (node is not JsonValue value)
        {
            return false;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return true;
            case JsonValueKind.String:
                if (value.TryGetValue<JsonElement>(out var element))
                {
                    return element.ValueEquals(ReadOnlySpan<byte>.Empty);
                }

                return value.TryGetValue<string>(out var text) && text.Length == 0;
            default:
                return false;
        }
    }

    /// <summary>The text of a scalar (numbers as written, booleans as true/false); null for objects and arrays.</summary>
    public static string? Text(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>A copy that can be attached to the output tree (a node has only one parent).</summary>
    public static JsonNode Copy(JsonNode node)
    {
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    return JsonValue.Create(value.GetValue<string>());
                case JsonValueKind.True:
                    return JsonValue.Create(true);
                case JsonValueKind.False:
                    return JsonValue.Create(false);
                default:
                    break;
            }
        }

        return node.DeepClone();
    }

    /// <summary>How a value is shown in messages: text as-is, others as JSON.</summary>
    public static string Show(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>How a value is shown in sample failures: always JSON, so "1" and 1 differ visibly.</summary>
    public static string ShowJson(JsonNode? node) => node?.ToJsonString(Compact) ?? "null";

    /// <summary>Compact JSON that keeps Vietnamese letters as they are (used by <c>encode: json</c> and in messages).</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
