using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OneStop.Schemas.Canonical;

/// <summary>
/// A lookup on an upstream defined by configuration and mapping files only (<c>upstreams/&lt;id&gt;.yaml</c>): the
/// upstream's id, the caller's parameters by name, and who asks and why. The request mapping reads the parameters at
/// the top level (<c>so_dang_ky</c>), the context under <c>context.*</c>, and what the hub adds under
/// <c>ma_yeu_cau</c> and <c>upstream.*</c>.
/// </summary>
public sealed record GenericLookupQuery
{
    /// <summary>Names no parameter may take: the request mapping finds the hub's own values there.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal) { "context", "ma_yeu_cau", "upstream" };

    public required string Upstream { get; init; }

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public LookupContext Context { get; init; } = new();
}

/// <summary>JSON of the generic lookup (snake case, nulls left out), for digests and the mapped record.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenericLookupQuery))]
[JsonSerializable(typeof(LookupContext))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class GenericLookupJson : JsonSerializerContext;
