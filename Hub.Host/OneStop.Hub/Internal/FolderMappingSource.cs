using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Mappings;

namespace OneStop.Hub.Internal;

/// <summary>
/// The mappings of the folder <c>Mappings:Path</c>, loaded and validated when the hub starts. A folder with
/// an invalid file stops the start with every error listed (file, field path, rule).
/// </summary>
internal sealed partial class FolderMappingSource : IMappingSource
{
    private readonly MappingCatalog _catalog;

    public FolderMappingSource(IOptions<MappingsOptions> options, ILogger<FolderMappingSource> logger)
    {
        var folder = options.Value.ResolvedPath;
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"Mappings:Path: folder '{folder}' does not exist");
        }

        try
        {
            _catalog = MappingLoader.LoadFolder(folder);
        }
        catch (MappingLoadException e)
        {
            throw new InvalidOperationException(
                $"Mappings:Path: '{folder}' holds invalid mappings:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", e.Errors), e);
        }

        LogLoaded(logger, _catalog.All.Count, folder, string.Join(", ", _catalog.All.Select(m => m.VersionTag).Order(StringComparer.Ordinal)));
    }

    public MappingDefinition Get(string id) => _catalog.Get(id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} mappings from {Folder}: {Versions}")]
    private static partial void LogLoaded(ILogger logger, int count, string folder, string versions);
}
