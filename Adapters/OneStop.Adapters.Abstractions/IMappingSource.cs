using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>
/// The mappings in force now. Adapters ask on every call, so a reload takes effect at once; an adapter that uses
/// several mappings in one call takes them from one <see cref="Current"/> catalog, so a reload in the middle of a
/// call never mixes versions.
/// </summary>
public interface IMappingSource
{
    /// <summary>The catalog in force: mappings and upstream definitions of one version of the folder.</summary>
    MappingCatalog Current { get; }

    MappingDefinition Get(string id) => Current.Get(id);
}

/// <summary>
/// A condition a catalog must meet before the hub uses it (at start and on every reload), beyond its files being
/// valid: e.g. that the upstreams the built-in lookups call are defined. A catalog that fails is refused, naming the problem.
/// </summary>
public interface IMappingCatalogCheck
{
    IEnumerable<MappingError> Check(MappingCatalog catalog);
}
