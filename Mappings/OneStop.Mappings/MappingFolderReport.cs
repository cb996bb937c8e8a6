namespace OneStop.Mappings;

/// <summary>
/// What checking a mapping folder found: the catalog when every file loaded, every error (file, field path, rule)
/// including failed samples, and the result of every sample run.
/// </summary>
public sealed class MappingFolderReport(string folder, MappingCatalog? catalog, IReadOnlyList<MappingError> errors, IReadOnlyList<SampleResult> samples)
{
    public string Folder { get; } = folder;

    /// <summary>The loaded catalog; null when a file did not load (its samples then did not run).</summary>
    public MappingCatalog? Catalog { get; } = catalog;

    public IReadOnlyList<MappingError> Errors { get; } = errors;

    public IReadOnlyList<SampleResult> Samples { get; } = samples;

    public int SamplesPassed => Samples.Count(s => s.Passed);

    public int SamplesFailed => Samples.Count(s => !s.Passed);

    /// <summary>Every file loaded and every sample passed: the folder may be used.</summary>
    public bool IsValid => Catalog is not null && Errors.Count == 0;
}
