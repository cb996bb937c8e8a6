using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>The mappings in force now. Adapters ask for a mapping on every call, so a reload takes effect at once.</summary>
public interface IMappingSource
{
    MappingDefinition Get(string id);
}
