using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>
/// XML as mappings see it, for adapters that speak XML: <see cref="Parse"/> reads a document into the tree a mapping
/// reads (the same reading as <c>root: { parse: xml }</c>: local names, text elements as strings, repeated elements
/// as lists, DTDs refused), and <see cref="WriteElement"/> writes a mapped object as XML elements.
/// </summary>
public static class MappingXml
{
    /// <summary>Parses <paramref name="xml"/>; throws <see cref="FormatException"/> saying why it is refused (not well-formed, DTD).</summary>
    public static JsonObject Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return XmlTree.Parse(xml);
    }

    /// <summary>
    /// Writes <paramref name="value"/> as element <paramref name="name"/> in <paramref name="ns"/>: an object's
    /// properties become child elements in order, a list repeats the element once per item, a scalar is the text
    /// (true/false, numbers as written), null writes nothing.
    /// </summary>
    public static void WriteElement(XmlWriter writer, string name, string? ns, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(name);
        switch (value)
        {
            case null:
                return;
            case JsonArray list:
                foreach (var item in list)
                {
                    WriteElement(writer, name, ns, item);
                }

                return;
            case JsonObject obj:
                writer.WriteStartElement(name, ns);
                foreach (var (child, childValue) in obj)
                {
                    WriteElement(writer, child, ns, childValue);
                }

                writer.WriteEndElement();
                return;
            default:
                if (value.GetValueKind() == JsonValueKind.Null)
                {
                    return;
                }

                writer.WriteStartElement(name, ns);
                writer.WriteString(Json.Text(value));
                writer.WriteEndElement();
                return;
        }
    }
}
