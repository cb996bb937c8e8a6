using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace OneStop.Mappings.Internal;

/// <summary>
/// Turns an XML string into the tree mappings read: namespaces dropped (local names), an element with only
/// text becomes a string (trimmed), an element with children an object, repeated siblings an array,
/// attributes ignored, empty elements absent. DTDs are refused; nothing external is ever resolved.
/// </summary>
internal static class XmlTree
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    /// <summary>Parses <paramref name="xml"/>; throws <see cref="FormatException"/> saying why it is refused.</summary>
    public static JsonObject Parse(string xml)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            if (xml.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("XML with a DTD (<!DOCTYPE>) is refused", ex);
            }

            throw new FormatException($"not well-formed XML: {ex.Message}", ex);
        }

        var tree = new JsonObject();
        var root = document.Root!;
        var value = Convert(root);
        if (value is not null)
        {
            tree.Add(root.Name.LocalName, value);
        }

        return tree;
    }

    private static JsonNode? Convert(XElement element)
    {
        if (!element.HasElements)
        {
            var text = element.Value.Trim();
            return text.Length == 0 ? null : JsonValue.Create(text);
        }

        JsonObject? result = null;
        foreach (var child in element.Elements())
        {
            var value = Convert(child);
            if (value is null)
            {
                continue;
            }

            result ??= [];
            var name = child.Name.LocalName;
            if (!result.TryGetPropertyValue(name, out var existing))
            {
                result.Add(name, value);
            }
            else if (existing is JsonArray repeated)
            {
                // Only repetition makes arrays here: Convert never returns an array itself.
                repeated.Add(value);
            }
            else
            {
                result.Remove(name);
                result.Add(name, new JsonArray(existing, value));
            }
        }

        return result;
    }
}
