using OneStop.Mappings;

namespace OneStop.Hub.Mappings;

/// <summary>What an operator sees of the mappings in force, and how a reload went. Transport-free: the admin API translates it.</summary>
public interface IMappingAdmin
{
    /// <summary>The folder, the catalog in force and since when each file's version serves.</summary>
    MappingStatus Status { get; }

    /// <summary>The last reload that was attempted (swapped, refused or unchanged); null before the first change.</summary>
    MappingReloadReport? LastReload { get; }

    /// <summary>The last change that was refused, with every error; null when none was.</summary>
    MappingReloadReport? LastRefused { get; }

    /// <summary>Reads the folder now (as a detected change would) and swaps when it is valid and different.</summary>
    Task<MappingReloadReport> ReloadNowAsync(CancellationToken cancellationToken);
}

/// <summary>The mappings in force.</summary>
public sealed record MappingStatus(
    string Folder,
    string Digest,
    DateTimeOffset ActiveSince,
    IReadOnlyList<ActiveMapping> Mappings,
    IReadOnlyList<ActiveUpstream> Upstreams);

/// <summary>One mapping in force: its version, its file, and since when this version serves.</summary>
public sealed record ActiveMapping(
    string Id,
    string Version,
    string VersionTag,
    string File,
    DateTimeOffset LoadedAt,
    int SampleCount,
    string? SourceSchema,
    string? TargetSchema,
    string ContentHash,
    string? Description);

/// <summary>One upstream defined by a file, in force.</summary>
public sealed record ActiveUpstream(
    string Id,
    string Version,
    string File,
    DateTimeOffset LoadedAt,
    string Protocol,
    string RequestMapping,
    string ReplyMapping,
    string ContentHash);

/// <summary>How one reload went.</summary>
/// <param name="Outcome"><c>swapped</c>, <c>refused</c> (the previous catalog keeps serving) or <c>unchanged</c>.</param>
/// <param name="Changed">What changed: <c>land.reply@2</c> (new version), <c>-land.reply@1</c> (removed), <c>upstreams/civil-status.yaml</c>.</param>
/// <param name="Serving">The digest of the catalog serving after this reload.</param>
public sealed record MappingReloadReport(
    string Id,
    DateTimeOffset Time,
    string Outcome,
    IReadOnlyList<MappingError> Errors,
    IReadOnlyList<string> Changed,
    int SamplesPassed,
    int SamplesFailed,
    string Serving)
{
    public const string Swapped = "swapped";
    public const string Refused = "refused";
    public const string Unchanged = "unchanged";
}
