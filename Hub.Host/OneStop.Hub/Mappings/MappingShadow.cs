using OneStop.Mappings;

namespace OneStop.Hub.Mappings;

/// <summary>
/// Shadow runs: a candidate mapping folder, after its own validation and samples, replayed against the recent inputs
/// of the mappings in force (the shadow window), compared output by output with what the mappings in force give.
/// Nothing is swapped. Transport-free: the admin API translates it.
/// </summary>
public interface IMappingShadow
{
    /// <summary>Checks <paramref name="candidate"/>, replays the window through it and through the mappings in force, and records the run as evidence.</summary>
    Task<ShadowReport> RunAsync(ShadowCandidate candidate, CancellationToken cancellationToken);

    /// <summary>How many inputs each mapping's window holds now.</summary>
    IReadOnlyDictionary<string, int> WindowCounts { get; }
}

/// <summary>
/// A candidate folder sent by value: <paramref name="Files"/> with paths relative to one root (the mapping files and
/// the schemas they name, <c>files/emc.request.yaml</c>, <c>schemas/emc.tracking-mcdt.schema.json</c>), and
/// <paramref name="Folder"/>, the mapping folder among them (<c>files</c>).
/// </summary>
public sealed record ShadowCandidate(string Folder, IReadOnlyList<CandidateFile> Files);

/// <summary>One file of a candidate: its path relative to the candidate's root, and its text.</summary>
public sealed record CandidateFile(string Path, string Content);

/// <summary>What a shadow run found.</summary>
/// <param name="Outcome"><c>compared</c>, or <c>refused</c> when the candidate failed its own validation or samples (nothing replayed).</param>
/// <param name="InputsDigest">Hex SHA-256 over every replayed input, in report order.</param>
/// <param name="OutputsDigest">Hex SHA-256 over the candidate's output (or error) for each, in the same order.</param>
public sealed record ShadowReport(
    string Id,
    DateTimeOffset Time,
    string Client,
    string Outcome,
    IReadOnlyList<MappingError> Errors,
    int SamplesPassed,
    int SamplesFailed,
    string CandidateDigest,
    string ServingDigest,
    int WindowMaxInputs,
    TimeSpan WindowMaxAge,
    IReadOnlyList<ShadowMappingReport> Mappings,
    string InputsDigest,
    string OutputsDigest)
{
    public const string Compared = "compared";
    public const string Refused = "refused";

    public int Replayed => Mappings.Sum(m => m.Replayed);

    public int Changed => Mappings.Sum(m => m.Changed);

    public int NewlyFailing => Mappings.Sum(m => m.NewlyFailing);
}

/// <summary>
/// One mapping's replay: <paramref name="Replayed"/> = <paramref name="Unchanged"/> + <paramref name="Changed"/> +
/// <paramref name="NewlyFailing"/> + <paramref name="StillFailing"/> + <paramref name="NowPassing"/>.
/// </summary>
/// <param name="Serving">Version in force (<c>emc.request@1</c>); null when the candidate adds the mapping.</param>
/// <param name="Candidate">Version in the candidate; null when the candidate removes the mapping.</param>
/// <param name="Fields">Output field paths that differ (<c>Status</c>, <c>items[].x</c>), with how many inputs differ there.</param>
/// <param name="Failures">Why inputs now fail: <c>field path: rule</c>, with counts.</param>
public sealed record ShadowMappingReport(
    string Id,
    string? Serving,
    string? Candidate,
    int Replayed,
    int Unchanged,
    int Changed,
    int NewlyFailing,
    int StillFailing,
    int NowPassing,
    IReadOnlyList<ShadowFieldChange> Fields,
    IReadOnlyList<ShadowFailure> Failures);

/// <summary>
/// A differing output field: how many inputs differ there, and up to three examples <c>before → after</c>, masked as
/// logs mask values (codes the target schema lists are shown; identifiers keep their last three characters; other
/// text is starred).
/// </summary>
public sealed record ShadowFieldChange(string Path, int Count, IReadOnlyList<string> Examples);

/// <summary>A reason inputs newly fail (<c>Data.NgayTiepNhan: value is not a date in format …</c>; never the value), and how many.</summary>
public sealed record ShadowFailure(string Rule, int Count);
