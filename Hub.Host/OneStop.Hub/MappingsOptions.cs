using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub;

/// <summary>Where the hub reads its mapping files, and how it watches them: <c>Mappings:*</c>.</summary>
public sealed class MappingsOptions
{
    /// <summary>
    /// Folder of <c>*.yaml</c> mapping files (upstream definitions in its <c>upstreams/</c> subfolder); relative paths
    /// are resolved against the hub's base directory. Schemas are found relative to each mapping file.
    /// </summary>
    [Required]
    public string Path { get; set; } = "Mappings/files";

    /// <summary>Watch the folder and reload on a change (validated, samples run, swapped only when all is well).</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How often the folder is read again even without a file-system event (the fallback where events are lost: network shares, some containers).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the folder must stay unchanged before a reload, so an editor's several writes make one reload.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    public string ResolvedPath => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);
}
