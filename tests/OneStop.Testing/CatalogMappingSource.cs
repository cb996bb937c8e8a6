using OneStop.Adapters;
using OneStop.Mappings;

namespace OneStop.Testing;

/// <summary>The shipped mapping files, loaded once, for tests that run adapters without the host.</summary>
public sealed class CatalogMappingSource(MappingCatalog catalog) : IMappingSource
{
    public static CatalogMappingSource Shipped { get; } = new(MappingLoader.LoadFolder(RepoPaths.MappingFiles));

    public MappingCatalog Current => catalog;
}
