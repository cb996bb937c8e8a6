using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace OneStop.IntegrationTests.StandardClients;

/// <summary>What a message does with one element of the operation's schema.</summary>
public enum SlotChoice
{
    Absent,
    Empty,
    Nil,
    Present,
}

/// <summary>
/// One element position in an operation's request, found by walking the served WSDL's schema depth first (a list's
/// item counted once). <paramref name="Parent"/> is the enclosing slot's index, -1 for the operation element's children.
/// </summary>
public sealed record Slot(int Index, int Parent, string Path, XName Name, XmlSchemaType Type, bool Nillable)
{
    public bool IsComplex => Type is XmlSchemaComplexType;

    /// <summary>The built-in type's local name (<c>string</c>, <c>int</c>, <c>boolean</c>, …); null for a complex type.</summary>
    public string? Builtin => Type is XmlSchemaSimpleType s ? (s.Datatype?.TypeCode.ToString() ?? "String") : null;

    /// <summary>An integer, decimal or floating-point type.</summary>
    public bool IsNumber => Builtin is "Int" or "Long" or "Short" or "Byte" or "UnsignedInt" or "UnsignedLong" or "UnsignedShort" or "UnsignedByte"
        or "Integer" or "Decimal" or "Double" or "Float";

    /// <summary>Whether an empty element is a valid value of the type (strings and complex types; not numbers or booleans).</summary>
    public bool MayBeEmpty => IsComplex || Builtin is "String";

    public override string ToString() => Path;
}

/// <summary>
/// The operations of one SOAP endpoint as its served WSDL describes them, and request envelopes built from that
/// schema: every element position (<see cref="Slot"/>) can be left out, sent empty, sent nil, or given a value.
/// </summary>
public sealed class WsdlMessages
{
    private static readonly XNamespace WsdlNs = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace XsdNs = "http://www.w3.org/2001/XMLSchema";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    private readonly Dictionary<string, (XName Element, string Action, IReadOnlyList<Slot> Slots)> _operations = new(StringComparer.Ordinal);

    private WsdlMessages(string endpoint) => Endpoint = endpoint;

    public string Endpoint { get; }

    public IReadOnlyCollection<string> Operations => _operations.Keys;

    public static async Task<WsdlMessages> LoadAsync(HttpClient http, string endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var wsdl = XDocument.Parse(await http.GetStringAsync(new Uri(endpoint + "?wsdl", UriKind.Relative), ct));
        var schemas = new XmlSchemaSet();
        foreach (var schema in wsdl.Descendants(XsdNs + "schema"))
        {
            schemas.Add(XmlSchema.Read(schema.CreateReader(), null)!);
        }

        schemas.Compile();
        var result = new WsdlMessages(endpoint);
        var root = wsdl.Root!;
        foreach (var operation in root.Elements(WsdlNs + "portType").Elements(WsdlNs + "operation"))
        {
            var name = (string)operation.Attribute("name")!;
            var message = Resolve(operation, (string)operation.Element(WsdlNs + "input")!.Attribute("message")!);
            var part = root.Elements(WsdlNs + "message").Single(m => (string?)m.Attribute("name") == message.LocalName).Element(WsdlNs + "part")!;
            var element = Resolve(part, (string)part.Attribute("element")!);
            var action = (string?)root.Elements(WsdlNs + "binding").Elements(WsdlNs + "operation")
                .First(o => (string?)o.Attribute("name") == name).Element(WsdlSoap + "operation")?.Attribute("soapAction") ?? "";
            var global = (XmlSchemaElement)schemas.GlobalElements[new XmlQualifiedName(element.LocalName, element.NamespaceName)]!;
            var slots = new List<Slot>();
            Walk(global.ElementSchemaType!, -1, "", slots, 0);
            result._operations[name] = (element, action, slots);
        }

        return result;
    }

    public IReadOnlyList<Slot> Slots(string operation) => _operations[operation].Slots;

    public string SoapAction(string operation) => _operations[operation].Action;

    /// <summary>
    /// The envelope for <paramref name="operation"/>: each slot as <paramref name="choose"/> says (children of a slot
    /// that is not Present are not written), a Present simple slot holding <paramref name="value"/>'s text.
    /// </summary>
    public string Envelope(string operation, Func<Slot, SlotChoice> choose, Func<Slot, XNode[]> value)
    {
        var (element, _, slots) = _operations[operation];
        var body = new XElement(element, Children(-1, slots, choose, value));
        return new XDocument(new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "s", Soap.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName), new XElement(Soap + "Body", body))).ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// The slot's value in the first of <paramref name="messages"/> (standard-client arguments as JSON, addressed by the
    /// slot's path) that has one, else a plain value of its type.
    /// </summary>
    public static XNode[] Value(Slot slot, params JsonObject[] messages)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            if (SoapOperations.At(message, slot.Path) is JsonValue v)
            {
                return [new XText(v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString())];
            }
        }

        return [new XText(slot.IsNumber ? "1" : slot.Builtin is "Boolean" ? "true" : "x")];
    }

    private static IEnumerable<XElement> Children(int parent, IReadOnlyList<Slot> slots, Func<Slot, SlotChoice> choose, Func<Slot, XNode[]> value)
    {
        foreach (var slot in slots.Where(s => s.Parent == parent))
        {
            switch (choose(slot))
            {
                case SlotChoice.Absent:
                    break;
                case SlotChoice.Empty:
                    yield return new XElement(slot.Name);
                    break;
                case SlotChoice.Nil:
                    yield return new XElement(slot.Name, new XAttribute(Xsi + "nil", "true"));
                    break;
                default:
                    yield return slot.IsComplex
                        ? new XElement(slot.Name, Children(slot.Index, slots, choose, value))
                        : new XElement(slot.Name, value(slot));
                    break;
            }
        }
    }

    private static void Walk(XmlSchemaType type, int parent, string path, List<Slot> slots, int depth)
    {
        if (depth > 8 || type is not XmlSchemaComplexType { ContentTypeParticle: XmlSchemaSequence sequence })
        {
            return;
        }

        foreach (var element in sequence.Items.OfType<XmlSchemaElement>())
        {
            var slot = new Slot(slots.Count, parent, path.Length == 0 ? element.QualifiedName.Name : $"{path}.{element.QualifiedName.Name}",
                XName.Get(element.QualifiedName.Name, element.QualifiedName.Namespace), element.ElementSchemaType!, element.IsNillable);
            slots.Add(slot);
            Walk(element.ElementSchemaType!, slot.Index, slot.Path, slots, depth + 1);
        }
    }

    private static XName Resolve(XElement context, string qualified)
    {
        var colon = qualified.IndexOf(':', StringComparison.Ordinal);
        var ns = context.GetNamespaceOfPrefix(colon < 0 ? "" : qualified[..colon]) ?? XNamespace.None;
        return ns + qualified[(colon + 1)..];
    }
}
