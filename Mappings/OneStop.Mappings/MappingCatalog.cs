namespace OneStop.Mappings;

/// <summary>The mappings of one folder, by id. Immutable: a reload builds a new catalog to swap in.</summary>
public sealed class MappingCatalog
{
    private readonly Dictionary<string, MappingDefinition> byId;

    internal MappingCatalog(string? folder, IEnumerable<MappingDefinition> definitions)
    {
        Folder = folder;
        byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        All = [.. byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>The folder the catalog was loaded from.</summary>
    public string? Folder { get; }

    public IReadOnlyCollection<MappingDefinition> All { get; }

    /// <summary>The mapping with <paramref name="id"/>; <see cref="KeyNotFoundException"/> naming the id and folder when there is none.</summary>
    public MappingDefinition Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (byId.TryGetValue(id, out var definition))
        {
            return definition;
        }

        var known = byId.Count == 0 ? "none" : string.Join(", ", byId.Keys.Order(StringComparer.Ordinal));
        throw new KeyNotFoundException($"No mapping '{id}' in {Folder ?? "the catalog"} (expected file {id}.yaml; loaded: {known})");
    }

    public bool TryGet(string id, out MappingDefinition definition) => byId.TryGetValue(id, out definition!);
}
