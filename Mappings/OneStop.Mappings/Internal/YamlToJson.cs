using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OneStop.Mappings.Internal;

/// <summary>
/// Reads a YAML document (YamlDotNet) into a <see cref="JsonNode"/> tree. Quoted scalars are strings; a plain
/// scalar is a number only when written as a JSON number (so 038085000123 stays text), true/false are booleans,
/// null/~/empty is null.
/// </summary>
internal static partial class YamlToJson
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static JsonNode? Convert(string yaml, out string? error)
    {
        error = null;
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            error = $"YAML syntax error at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}";
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet throws this (without a position) for some malformed flow collections.
            var at = scanner.CurrentPosition;
            error = $"YAML syntax error at line {at.Line}, column {at.Column}: unexpected end of a {{ }} or [ ] collection ({ex.Message})";
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            error = stream.Documents.Count == 0 ? "file is empty" : "a mapping file holds exactly one YAML document";
            return null;
        }

        try
        {
            return Convert(stream.Documents[0].RootNode);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => Scalar(scalar),
        YamlSequenceNode sequence => Sequence(sequence),
        YamlMappingNode mapping => Mapping(mapping),
        _ => throw new FormatException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static JsonArray Sequence(YamlSequenceNode sequence)
    {
        var array = new JsonArray();
        foreach (var child in sequence.Children)
        {
            array.Add(Convert(child));
        }

        return array;
    }

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new FormatException($"YAML key at line {key.Start.Line} is not a plain name");
            }

            if (!obj.TryAdd(name, Convert(value)))
            {
                throw new FormatException($"duplicate key '{name}' at line {key.Start.Line}");
            }
        }

        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            var tag = scalar.Tag.Value;
            return tag switch
            {
                TagPrefix + "str" => JsonValue.Create(text),
                TagPrefix + "null" => null,
                TagPrefix + "bool" or TagPrefix + "int" or TagPrefix + "float" => Plain(text) ?? JsonValue.Create(text),
                _ => JsonValue.Create(text),
            };
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            _ => Plain(text) ?? JsonValue.Create(text),
        };
    }

    private static JsonNode? Plain(string text) => text switch
    {
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when JsonNumber().IsMatch(text) => JsonNode.Parse(text),
        _ => null,
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
