using OneStop.Adapters;
using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub;

/// <summary>Where the hub reads its mapping files, and how it watches them: <c>Mappings:*</c>.</summary>
public sealed class MappingsOptions
{
    /// <summary>
    /// Folder of <c>*.yaml</c> mapping files (upstream definitions in its <c>upstreams/</c> subfolder); a relative path
    /// is resolved against <see cref="BaseDirectory"/>. Schemas are found relative to each mapping file. Production sets
    /// it explicitly (appsettings.json: the copy next to the binaries); Development (appsettings.Development.json) points
    /// at the repository's <c>Mappings/files</c>, so an edit to the source file is what the running demo reloads.
    /// </summary>
    [Required]
    public string Path { get; set; } = "Mappings/files";

    /// <summary>Watch the folder and reload on a change (validated, samples run, swapped only when all is well).</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How often the folder is read again even without a file-system event (the fallback where events are lost: network shares, some containers).</summary>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the folder must stay unchanged before a reload, so an editor's several writes make one reload.</summary>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// What a relative <see cref="Path"/> is resolved against: the hub's binaries, or in Development the content root
    /// (the host project's folder under <c>dotnet run</c>). Set by the hub, not by configuration.
    /// </summary>
    public string BaseDirectory { get; internal set; } = AppContext.BaseDirectory;

    public string ResolvedPath => System.IO.Path.GetFullPath(Path, BaseDirectory);
}
