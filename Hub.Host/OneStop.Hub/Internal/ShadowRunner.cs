using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Hub.Mappings;
using OneStop.Mappings;

namespace OneStop.Hub.Internal;

/// <summary>
/// Runs a candidate folder against the shadow window: writes the candidate to a private temporary folder, checks it
/// as a reload would (every file, every schema, every sample, every catalog check), then feeds each mapping's recent
/// inputs through the mapping in force and through the candidate and compares. Nothing is swapped, nothing of the
/// inputs is logged or kept: the report holds counts, field paths, rules and masked examples; the evidence holds digests.
/// </summary>
internal sealed partial class ShadowRunner(
    ReloadingMappingSource source,
    ShadowWindow window,
    IEnumerable<IMappingCatalogCheck> checks,
    IEvidenceRecorder evidence,
    ICallerAccessor caller,
    TimeProvider time,
    ILogger<ShadowRunner> logger) : IMappingShadow
{
    public const string Operation = "MappingAdminService/ShadowRun";

    /// <summary>At most this many files, and this many characters in all, per candidate.</summary>
    public const int MaxFiles = 1_000;

    public const int MaxTotalChars = 8 * 1024 * 1024;

    private const int MaxExamples = 3;

    private readonly IMappingCatalogCheck[] _checks = [.. checks];

    public IReadOnlyDictionary<string, int> WindowCounts => window.Counts();

    public async Task<ShadowReport> RunAsync(ShadowCandidate candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Validate(candidate);
        var client = caller.ClientId ?? "hub";
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString("N");
        var serving = source.Unobserved;
        var root = Path.Combine(Path.GetTempPath(), "onestop-shadow-" + Guid.NewGuid().ToString("N"));
        ShadowReport report;
        try
        {
            Directory.CreateDirectory(root);
            foreach (var file in candidate.Files)
            {
                var path = Path.Combine(root, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, file.Content, cancellationToken).ConfigureAwait(false);
            }

            var folder = candidate.Folder.Length == 0 ? root : Path.Combine(root, candidate.Folder);
            report = Directory.Exists(folder)
                ? Run(id, now, client, folder, serving)
                : Refuse(id, now, client, serving, [new MappingError(candidate.Folder, "$", "the candidate holds no such folder")], null);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // the temporary folder holds only mapping files; the system cleans it eventually
            }
        }

        LogRun(report.Id, client, report.Outcome, report.Mappings.Count, report.Replayed, report.Changed, report.NewlyFailing, report.Errors.Count);
        await evidence.RecordAsync(new ExchangeRecord
        {
            Client = client,
            Operation = Operation,
            Time = report.Time,
            Outcome = report.Outcome == ShadowReport.Refused ? ShadowReport.Refused : report.NewlyFailing > 0 ? "newly_failing" : "ok",
            RequestDigest = report.InputsDigest,
            ResponseDigest = report.OutputsDigest,
            MappingVersion = Versions(report),
            RequestId = report.Id,
        }, CancellationToken.None).ConfigureAwait(false);
        return report;
    }

    /// <summary>Paths are relative, without <c>..</c>, of plain names: a candidate can only write inside its own temporary folder.</summary>
    private static void Validate(ShadowCandidate candidate)
    {
        if (candidate.Files.Count == 0)
        {
            throw new HubException(HubErrorKind.InvalidArgument, "files: a candidate needs its mapping files", "files");
        }

        if (candidate.Files.Count > MaxFiles)
        {
            throw new HubException(HubErrorKind.InvalidArgument, $"files: at most {MaxFiles} files", "files");
        }

        if (candidate.Files.Sum(f => (long)(f.Content?.Length ?? 0)) > MaxTotalChars)
        {
            throw new HubException(HubErrorKind.InvalidArgument, $"files: at most {MaxTotalChars} characters in all", "files");
        }

        if (candidate.Folder.Length > 0 && !SafeRelative(candidate.Folder))
        {
            throw new HubException(HubErrorKind.InvalidArgument, "folder: a relative path of names (letters, digits, . _ -), no '..'", "folder");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidate.Files.Count; i++)
        {
            var path = candidate.Files[i].Path;
            var field = $"files[{i.ToString(CultureInfo.InvariantCulture)}].path";
            if (!SafeRelative(path) || !(path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".json", StringComparison.Ordinal)))
            {
                throw new HubException(HubErrorKind.InvalidArgument, $"{field}: a relative path of names (letters, digits, . _ -), no '..', ending .yaml or .json", field);
            }

            if (!seen.Add(path))
            {
                throw new HubException(HubErrorKind.InvalidArgument, $"{field}: the path is given twice", field);
            }
        }
    }

    private static bool SafeRelative(string path) =>
        path.Length is > 0 and < 300
        && path.Split('/').All(part => part.Length > 0 && part != "." && part != ".."
            && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'));

    private ShadowReport Run(string id, DateTimeOffset now, string client, string folder, MappingCatalog serving)
    {
        var checkedFolder = MappingLoader.CheckFolder(folder);
        var errors = checkedFolder.Errors.ToList();
        if (checkedFolder.Catalog is { } loaded)
        {
            foreach (var check in _checks)
            {
                errors.AddRange(check.Check(loaded));
            }
        }

        if (errors.Count > 0 || checkedFolder.Catalog is not { } candidate)
        {
            return Refuse(id, now, client, serving, errors, checkedFolder);
        }

        using var inputs = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var outputs = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var ids = candidate.All.Select(m => m.Id)
            .Concat(window.Counts().Keys.Where(k => serving.TryGet(k, out _)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var mappings = new List<ShadowMappingReport>();
        foreach (var mappingId in ids)
        {
            serving.TryGet(mappingId, out var before);
            candidate.TryGet(mappingId, out var after);
            mappings.Add(Replay(mappingId, before, after, window.Open(mappingId), inputs, outputs));
        }

        return new ShadowReport(id, now, client, ShadowReport.Compared, [], checkedFolder.SamplesPassed, checkedFolder.SamplesFailed,
            candidate.Digest, serving.Digest, window.Options.MaxInputs, window.Options.MaxAge, mappings,
            Convert.ToHexStringLower(inputs.GetHashAndReset()), Convert.ToHexStringLower(outputs.GetHashAndReset()));
    }

    private ShadowReport Refuse(string id, DateTimeOffset now, string client, MappingCatalog serving, List<MappingError> errors, MappingFolderReport? checkedFolder) =>
        new(id, now, client, ShadowReport.Refused, errors, checkedFolder?.SamplesPassed ?? 0, checkedFolder?.SamplesFailed ?? 0,
            checkedFolder?.Catalog?.Digest ?? "", serving.Digest, window.Options.MaxInputs, window.Options.MaxAge, [],
            ExchangeRecord.Digest(""), ExchangeRecord.Digest(string.Join("\n", errors.Select(e => e.ToString()))));

    private static ShadowMappingReport Replay(
        string mappingId, MappingDefinition? before, MappingDefinition? after, IReadOnlyList<JsonNode> inputs, IncrementalHash inputDigest, IncrementalHash outputDigest)
    {
        int unchanged = 0, changed = 0, newlyFailing = 0, stillFailing = 0, nowPassing = 0;
        var fields = new Dictionary<string, (int Count, List<string> Examples)>(StringComparer.Ordinal);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            inputDigest.AppendData(Encoding.UTF8.GetBytes(input.ToJsonString()));
            var (oldOut, oldError) = Apply(before, input);
            var (newOut, newError) = Apply(after, input);
            outputDigest.AppendData(Encoding.UTF8.GetBytes(newError ?? newOut?.ToJsonString() ?? "null"));
            if (newError is not null)
            {
                if (oldError is null)
                {
                    newlyFailing++;
                    failures[newError] = failures.GetValueOrDefault(newError) + 1;
                }
                else
                {
                    stillFailing++;
                }

                continue;
            }

            if (oldError is not null)
            {
                nowPassing++;
                continue;
            }

            if (JsonNode.DeepEquals(oldOut, newOut))
            {
                unchanged++;
                continue;
            }

            changed++;
            var differences = new Dictionary<string, (JsonNode? Old, JsonNode? New)>(StringComparer.Ordinal);
            Differences(oldOut, newOut, "", differences);
            foreach (var (path, (oldValue, newValue)) in differences)
            {
                var entry = fields.TryGetValue(path, out var found) ? found : (0, new List<string>());
                var example = $"{Show(before, after, path, oldValue)} → {Show(before, after, path, newValue)}";
                if (entry.Item2.Count < MaxExamples && !entry.Item2.Contains(example))
                {
                    entry.Item2.Add(example);
                }

                fields[path] = (entry.Item1 + 1, entry.Item2);
            }
        }

        return new ShadowMappingReport(mappingId, before?.VersionTag, after?.VersionTag, inputs.Count, unchanged, changed, newlyFailing, stillFailing, nowPassing,
            [.. fields.OrderByDescending(f => f.Value.Count).ThenBy(f => f.Key, StringComparer.Ordinal).Select(f => new ShadowFieldChange(f.Key, f.Value.Count, f.Value.Examples))],
            [.. failures.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal).Select(f => new ShadowFailure(f.Key, f.Value))]);
    }

    /// <summary>The output, or the rule that failed (<c>field path: rule</c>, which never holds the value).</summary>
    private static (JsonNode? Output, string? Error) Apply(MappingDefinition? mapping, JsonNode input)
    {
        if (mapping is null)
        {
            return (null, "$: the mapping is not in the folder");
        }

        try
        {
            return (mapping.Apply(input), null);
        }
        catch (MappingException e)
        {
            return (null, $"{e.FieldPath}: {e.Rule}");
        }
    }

    /// <summary>Every leaf path where the two outputs differ; list items as <c>[]</c>; text holding JSON (encode: json) is compared inside.</summary>
    private static void Differences(JsonNode? a, JsonNode? b, string path, Dictionary<string, (JsonNode?, JsonNode?)> found)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return;
        }

        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var name in oa.Select(p => p.Key).Union(ob.Select(p => p.Key), StringComparer.Ordinal))
            {
                Differences(oa[name], ob[name], path.Length == 0 ? name : $"{path}.{name}", found);
            }

            return;
        }

        if (a is JsonArray la && b is JsonArray lb)
        {
            for (var i = 0; i < Math.Max(la.Count, lb.Count); i++)
            {
                Differences(i < la.Count ? la[i] : null, i < lb.Count ? lb[i] : null, path + "[]", found);
            }

            return;
        }

        if (Embedded(a) is { } ea && Embedded(b) is { } eb)
        {
            Differences(ea, eb, path, found);
            return;
        }

        found.TryAdd(path.Length == 0 ? "$" : path, (a, b));
    }

    private static JsonNode? Embedded(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { Length: > 1 } text || text[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A value as the report may show it: codes the target schema lists in clear, the rest masked as logs mask it.</summary>
    private static string Show(MappingDefinition? before, MappingDefinition? after, string path, JsonNode? value)
    {
        switch (value)
        {
            case null:
                return "(absent)";
            case JsonObject:
                return "(object)";
            case JsonArray:
                return "(list)";
        }

        var kind = value.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            return kind == JsonValueKind.True ? "true" : "false";
        }

        var text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return (after?.IsCodeField(path) ?? false) || (before?.IsCodeField(path) ?? false) ? text : PersonalData.MaskValue(text);
    }

    private static string Versions(ShadowReport report) =>
        report.Mappings.Count == 0
            ? $"candidate {Short(report.CandidateDigest)}, serving {Short(report.ServingDigest)}"
            : string.Join(",", report.Mappings.Select(m => m.Serving == m.Candidate ? m.Candidate : $"{m.Serving ?? "(none)"}->{m.Candidate ?? "(removed)"}"));

    private static string Short(string digest) => digest.Length > 12 ? digest[..12] : digest;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shadow run {RunId} by {Client}: {Outcome}; {Mappings} mappings, {Replayed} inputs replayed, {Changed} outputs changed, {NewlyFailing} inputs newly failing, {Errors} candidate errors")]
    private partial void LogRun(string runId, string client, string outcome, int mappings, int replayed, int changed, int newlyFailing, int errors);
}
