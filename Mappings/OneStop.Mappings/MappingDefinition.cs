using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>
/// One mapping file, parsed and compiled: <see cref="Apply"/> turns a source tree into the target tree.
/// Instances are immutable and safe to use from many threads.
/// </summary>
public sealed class MappingDefinition
{
    private readonly RootSelector? root;
    private readonly FieldRule[] fields;

    internal MappingDefinition(
        string id,
        string version,
        string? filePath,
        string? description,
        RootSelector? root,
        FieldRule[] fields,
        IReadOnlyList<MappingSample> samples)
    {
        Id = id;
        Version = version;
        VersionTag = $"{id}@{version}";
        FilePath = filePath;
        Description = description;
        this.root = root;
        this.fields = fields;
        Samples = samples;
    }

    /// <summary><c>&lt;system&gt;.&lt;direction&gt;</c>, e.g. <c>population.reply</c>; equals the file name.</summary>
    public string Id { get; }

    /// <summary>The file's <c>version</c>, e.g. <c>1</c>.</summary>
    public string Version { get; }

    /// <summary><c>{Id}@{Version}</c>, e.g. <c>population.reply@1</c>: what replies and evidence record.</summary>
    public string VersionTag { get; }

    /// <summary>The full path of the file the mapping was loaded from, when it came from a file.</summary>
    public string? FilePath { get; }

    public string? Description { get; }

    public IReadOnlyList<MappingSample> Samples { get; }

    /// <summary>The file name, e.g. <c>population.reply.yaml</c>: how errors and reports name the mapping's file.</summary>
    public string FileName { get; init; } = string.Empty;

    /// <summary>Hex SHA-256 of the file's text: tells a reload whether the file changed.</summary>
    public string ContentHash { get; init; } = string.Empty;

    /// <summary>Name of the source schema (<c>source:</c>, e.g. <c>population.wire-reply</c>), when the file names one.</summary>
    public string? SourceSchema => Source?.Name;

    /// <summary>Name of the target schema (<c>target:</c>, e.g. <c>canonical.cong-dan</c>), when the file names one.</summary>
    public string? TargetSchema => Target?.Name;

    /// <summary>What <c>root.parse</c> says the source holds as text: <c>xml</c>, <c>json</c>, or null when the source is a tree already.</summary>
    public string? RootParse => root?.Parse switch
    {
        Internal.RootParse.Xml => "xml",
        Internal.RootParse.Json => "json",
        _ => null,
    };

    /// <summary>Full paths of the schema files the mapping names (what a watcher must watch besides the mapping file).</summary>
    public IReadOnlyList<string> SchemaFiles => [.. new[] { Source?.Path, Target?.Path }.OfType<string>()];

    internal NamedSchema? Source { get; init; }

    internal NamedSchema? Target { get; init; }

    /// <summary>Told of every input <see cref="Apply"/> is given (the hub's shadow window); null for a plain definition.</summary>
    private IMappingInputObserver? Observer { get; init; }

    /// <summary>This definition, telling <paramref name="observer"/> of every input it is applied to; the rules are shared.</summary>
    internal MappingDefinition ObservedBy(IMappingInputObserver observer) =>
        new(Id, Version, FilePath, Description, root, fields, Samples)
        {
            FileName = FileName,
            ContentHash = ContentHash,
            Source = Source,
            Target = Target,
            Observer = observer,
        };

    /// <summary>
    /// Whether the target schema declares a code list (<c>enum</c>) for <paramref name="fieldPath"/> (<c>Status</c>,
    /// <c>items[].loai</c>): such values are codes, not personal data, and reports may show them.
    /// </summary>
    public bool IsCodeField(string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        return Target is { } target && SchemaCheck.HasCodes(target.Schema, fieldPath);
    }

    /// <summary>
    /// Maps <paramref name="source"/>. Returns null when the record is not there ("no record": the root is
    /// missing, null or empty); otherwise an object with the target fields in rule order, absent ones omitted.
    /// The source is never modified. Throws <see cref="MappingException"/> when the input is broken.
    /// </summary>
    public JsonNode? Apply(JsonNode? source)
    {
        Observer?.Observe(this, source);
        var scope = root is null ? source : root.Select(source);
        if (scope is null)
        {
            return null;
        }

        return FieldRule.BuildObject(fields, scope) ?? [];
    }

    public override string ToString() => VersionTag;
}

/// <summary>
/// Told of each input a mapping is applied to, at the engine's call boundary (every adapter and every caller goes
/// through <see cref="MappingDefinition.Apply"/>). Must be fast and must not throw; the source must not be changed.
/// </summary>
public interface IMappingInputObserver
{
    void Observe(MappingDefinition mapping, JsonNode? source);
}
