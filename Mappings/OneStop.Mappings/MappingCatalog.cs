using System.Security.Cryptography;
using System.Text;

namespace OneStop.Mappings;

/// <summary>
/// The mappings of one folder by id, and the upstream definitions of its <c>upstreams/</c> subfolder. Immutable:
/// a reload builds a new catalog and swaps it in whole, so mappings and definitions always change together.
/// </summary>
public sealed class MappingCatalog
{
    private readonly Dictionary<string, MappingDefinition> byId;
    private readonly Dictionary<string, UpstreamDefinition> upstreams;

    internal MappingCatalog(string? folder, IEnumerable<MappingDefinition> definitions, IEnumerable<UpstreamDefinition>? upstreamDefinitions = null)
    {
        Folder = folder;
        byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        All = [.. byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal)];
        upstreams = (upstreamDefinitions ?? []).ToDictionary(u => u.Id, StringComparer.Ordinal);
        Upstreams = [.. upstreams.Values.OrderBy(u => u.Id, StringComparer.Ordinal)];
        var text = new StringBuilder();
        foreach (var m in All)
        {
            text.Append(m.FileName).Append(' ').Append(m.ContentHash).Append('\n');
        }

        foreach (var u in Upstreams)
        {
            text.Append(u.FileName).Append(' ').Append(u.ContentHash).Append('\n');
        }

        Digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The folder the catalog was loaded from.</summary>
    public string? Folder { get; }

    public IReadOnlyCollection<MappingDefinition> All { get; }

    /// <summary>The upstreams defined by files (generic lookup), by id.</summary>
    public IReadOnlyCollection<UpstreamDefinition> Upstreams { get; }

    /// <summary>Hex SHA-256 over every file name and content hash: equal digests, equal catalogs.</summary>
    public string Digest { get; }

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

    /// <summary>
    /// The same catalog (same files, same <see cref="Digest"/>) whose mappings tell <paramref name="observer"/> of every
    /// input they are applied to. The catalog itself is unchanged: its samples and any replay use it unobserved.
    /// </summary>
    public MappingCatalog ObservedBy(IMappingInputObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return new MappingCatalog(Folder, All.Select(d => d.ObservedBy(observer)), Upstreams);
    }

    public bool TryGetUpstream(string id, out UpstreamDefinition definition) => upstreams.TryGetValue(id, out definition!);
}
