using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

internal enum RootParse
{
    None,
    Xml,
    Json,
}

/// <summary>
/// <c>root:</c> where the record is in the source: a path, optionally a string parsed as XML or JSON, then a
/// path into the parsed tree. Nothing there (missing, null, empty) means "no record".
/// </summary>
internal sealed class RootSelector(string mappingId, PathExpr? path, RootParse parse, PathExpr? then, bool required)
{
    public const string FieldPath = "root";

    public PathExpr? Path => path;

    public RootParse Parse => parse;

    public PathExpr? Then => then;

    public JsonNode? Select(JsonNode? source)
    {
        var node = source;
        if (path is not null)
        {
            node = path.Resolve(source, out var missing);
            if (missing && required)
            {
                throw Fail($"required value missing at {path.Text}");
            }
        }

        if (Json.IsAbsent(node))
        {
            return null;
        }

        if (parse != RootParse.None)
        {
            node = ParseText(node!);
            if (node is null)
            {
                return null;
            }
        }

        if (then is not null)
        {
            node = then.Resolve(node);
        }

        if (Json.IsAbsent(node))
        {
            return null;
        }

        if (node is JsonArray)
        {
            throw Fail($"the record at {Where} is a list; pick one item with [n]");
        }

        return node;
    }

    private string Where => then?.Text ?? path?.Text ?? "$";

    private JsonNode? ParseText(JsonNode node)
    {
        var where = path?.Text ?? "$";
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw Fail($"value at {where} is not a string holding {(parse == RootParse.Xml ? "XML" : "JSON")}");
        }

        var text = value.GetValue<string>();
        if (parse == RootParse.Xml)
        {
            try
            {
                return XmlTree.Parse(text);
            }
            catch (FormatException ex)
            {
                throw new MappingException(mappingId, FieldPath, $"value at {where}: {ex.Message}", ex);
            }
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new MappingException(mappingId, FieldPath, $"value at {where}: not well-formed JSON: {ex.Message}", ex);
        }
    }

    private MappingException Fail(string rule) => new(mappingId, FieldPath, rule);
}
