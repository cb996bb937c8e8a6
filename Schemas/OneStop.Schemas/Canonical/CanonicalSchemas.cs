using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace OneStop.Schemas.Canonical;

/// <summary>
/// JSON Schemas of the canonical records, generated from the records themselves (System.Text.Json's
/// <see cref="JsonSchemaExporter"/>, with the names and rules of <see cref="CanonicalJson"/>). Mapping files name
/// them as <c>source</c> or <c>target</c>; they are written to <c>Mappings/schemas/canonical.*.schema.json</c> by
/// <c>OneStop.Cli mappings schemas</c>, and a test fails when the files and the records drift apart.
/// </summary>
public static class CanonicalSchemas
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>File name (e.g. <c>canonical.cong-dan.schema.json</c>) → schema text, for every canonical record mappings read or write.</summary>
    public static IReadOnlyDictionary<string, string> Generate()
    {
        var c = CanonicalJson.Default;
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["canonical.citizen-query"] = Query(c.CitizenQuery, "VerifyCitizen request"),
            ["canonical.cong-dan"] = Record(c.CongDan, "CongDan: a citizen as the population database holds it (VerifyCitizen reply)"),
            ["canonical.enterprise-query"] = Query(c.EnterpriseQuery, "GetEnterprise request"),
            ["canonical.doanh-nghiep"] = Record(c.DoanhNghiep, "DoanhNghiep: a business registration (GetEnterprise reply)"),
            ["canonical.insurance-query"] = Query(c.InsuranceQuery, "GetInsurance request"),
            ["canonical.so-bhxh"] = Record(c.SoBhxh, "SoBhxh: a social-insurance record (GetInsurance reply)"),
            ["canonical.land-parcel-query"] = Query(c.LandParcelQuery, "GetLandParcel request"),
            ["canonical.thua-dat"] = Record(c.ThuaDat, "ThuaDat: a land parcel and its certificate (GetLandParcel reply)"),
            ["canonical.dossier-event"] = Delivery(c.DossierEvent, "DossierEvent: a dossier event as the hub keeps it and hands it to destinations"),
        };
        return all.ToDictionary(kv => $"{kv.Key}.schema.json", kv => kv.Value, StringComparer.Ordinal);
    }

    private static string Record<T>(JsonTypeInfo<T> type, string title) => Write(Export(type), type, title);

    /// <summary>A lookup query as request mappings read it: the query plus what the hub adds (ma_yeu_cau, upstream.*).</summary>
    private static string Query<T>(JsonTypeInfo<T> type, string title)
    {
        var schema = Export(type);
        var properties = (JsonObject)schema["properties"]!;
        properties["ma_yeu_cau"] = new JsonObject
        {
            ["description"] = "Added by the hub: the request id it sends upstream (MaYeuCau).",
            ["type"] = "string",
        };
        properties["upstream"] = Upstream("integration codes");
        return Write(schema, type, $"{title}, as request mappings read it");
    }

    /// <summary>
    /// A record the delivery adapters hand to a destination's request mappings: the record plus the destination's
    /// fixed values under upstream.* (what <c>DeliveryRequests.Source</c> adds).
    /// </summary>
    private static string Delivery<T>(JsonTypeInfo<T> type, string title)
    {
        var schema = Export(type);
        ((JsonObject)schema["properties"]!)["upstream"] = Upstream("site id, sender, customer code");
        return Write(schema, type, title);
    }

    private static JsonObject Upstream(string examples) => new()
    {
        ["description"] = $"Added by the hub: the fixed values of Upstreams:<name>:Parameters ({examples}).",
        ["type"] = "object",
        ["additionalProperties"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Export(JsonTypeInfo type) =>
        (JsonObject)JsonSchemaExporter.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                // Code fields list the codes they accept ([AllowedValues] on the record): mappings that put them
                // through a table are checked to have an entry for every code.
                var allowed = context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: false)
                    .OfType<AllowedValuesAttribute>().FirstOrDefault();
                if (allowed is not null && node is JsonObject obj)
                {
                    obj["enum"] = new JsonArray([.. allowed.Values.Select(ToNode)]);
                }

                // Records are closed: a field the record does not have is a mistake (in a sample or a mapping).
                if (node is JsonObject record && record.ContainsKey("properties"))
                {
                    record["additionalProperties"] = false;
                }

                return node;
            },
        });

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static string Write(JsonObject schema, JsonTypeInfo type, string title)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = title,
            ["description"] = $"Generated from OneStop.Schemas.Canonical.{type.Type.Name} by `OneStop.Cli mappings schemas`; do not edit by hand.",
        };
        foreach (var (key, value) in schema)
        {
            document[key] = value?.DeepClone();
        }

        return document.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }
}
