using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub;

/// <summary>Where the hub reads its mapping files: <c>Mappings:Path</c>.</summary>
public sealed class MappingsOptions
{
    /// <summary>Folder of <c>*.yaml</c> mapping files; relative paths are resolved against the hub's base directory.</summary>
    [Required]
    public string Path { get; set; } = "Mappings";

    public string ResolvedPath => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);
}
