using System.Globalization;
using NJsonSchema;

namespace OneStop.Mappings.Internal;

/// <summary>
/// The JSON Schemas mapping files name as <c>source</c> and <c>target</c>, read with NJsonSchema (references
/// resolved, also to other files) and kept for the length of one load, so a folder reads each schema once.
/// </summary>
internal sealed class SchemaFiles
{
    private readonly Dictionary<string, (JsonSchema? Schema, string? Error)> _cache = new(StringComparer.Ordinal);

    /// <summary>The schema at <paramref name="fullPath"/>, or null with the reason in <paramref name="error"/>.</summary>
    public JsonSchema? Load(string fullPath, out string? error)
    {
        if (!_cache.TryGetValue(fullPath, out var entry))
        {
            entry = Read(fullPath);
            _cache[fullPath] = entry;
        }

        error = entry.Error;
        return entry.Schema;
    }

    private static (JsonSchema?, string?) Read(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            return (null, "file not found");
        }

        try
        {
            return (JsonSchema.FromFileAsync(fullPath).GetAwaiter().GetResult(), null);
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or System.Text.Json.JsonException or InvalidOperationException
                                       or NotSupportedException or IOException or ArgumentException or FormatException)
        {
            return (null, $"not a valid JSON Schema ({FirstLine(e.Message)})");
        }
    }

    /// <summary>
    /// The schema of the text inside a string value (<c>contentSchema</c>, JSON Schema 2019-09): what a
    /// <c>root.parse</c> finds once it has parsed the string. Null when the schema does not say.
    /// </summary>
    public static JsonSchema? ContentSchemaOf(JsonSchema schema)
    {
        if (schema.ExtensionData is null || !schema.ExtensionData.TryGetValue("contentSchema", out var value) || value is null)
        {
            return null;
        }

        var json = value switch
        {
            Newtonsoft.Json.Linq.JToken token => token.ToString(Newtonsoft.Json.Formatting.None),
            string text => text,
            _ => Newtonsoft.Json.JsonConvert.SerializeObject(value),
        };
        try
        {
            return JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The text of an enum value as tables and conditions compare it: numbers as written, true/false.</summary>
    public static string? EnumText(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        string s => s,
        Newtonsoft.Json.Linq.JValue v => EnumText(v.Value),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
