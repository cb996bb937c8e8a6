using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OneStop.Grpc.V1;
using OneStop.Mappings;

namespace OneStop.Cli.Commands;

/// <summary>
/// <c>mappings shadow FOLDER</c>: a shadow run of a candidate folder against the hub's recent inputs
/// (<c>MappingAdminService/ShadowRun</c>), over the hub's gRPC port with an admin key.
/// </summary>
public static class MappingsHubCommands
{
    public const string DefaultHub = "http://127.0.0.1:5081";

    /// <summary>Exit code when the hub cannot be asked (not running, refused the key, bad folder).</summary>
    public const int Unreachable = 2;

    private static Option<Uri> HubOption() => new("--hub")
    {
        Description = "gRPC address of the hub (its HTTP/2 port)",
        DefaultValueFactory = _ => new Uri(DefaultHub),
        CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var uri) ? uri : throw new FormatException("--hub must be an absolute URL"),
    };

    private static Option<string> KeyOption() => new("--api-key")
    {
        Description = $"API key of a client with the right MappingAdminService/* (default: ${EvidenceCommands.ApiKeyVariable}, else the demo key)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EvidenceCommands.ApiKeyVariable) is { Length: > 0 } k ? k : "onestop-demo-key",
    };

    internal static Command Shadow(Argument<string> folder)
    {
        var hub = HubOption();
        var key = KeyOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (MappingAdminService/ShadowRun's ShadowRunReport)" };
        var command = new Command("shadow",
            "Run a candidate mapping folder against a running hub's recent inputs and report what would change; nothing is swapped. " +
            "Exit 1 when the candidate fails its own checks or any input newly fails")
        {
            folder, hub, key, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            MappingFolderReport local;
            try
            {
                local = MappingLoader.CheckFolder(parse.GetValue(folder)!);
            }
            catch (DirectoryNotFoundException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return Unreachable;
            }

            if (!local.IsValid || local.Catalog is not { } catalog)
            {
                foreach (var problem in local.Errors)
                {
                    await error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                }

                await output.WriteLineAsync($"candidate refused by its own checks ({local.Errors.Count} errors): nothing replayed").ConfigureAwait(false);
                return 1;
            }

            ShadowRunReport report;
            try
            {
                using var channel = GrpcChannel.ForAddress(parse.GetValue(hub)!);
                report = await new MappingAdminService.MappingAdminServiceClient(channel)
                    .ShadowRunAsync(Request(local.Folder, catalog), Headers(parse.GetValue(key)!), cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await error.WriteLineAsync($"error: {e.StatusCode}: {e.Status.Detail}").ConfigureAwait(false);
                return Unreachable;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true)).Format(report)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(Table(report)).ConfigureAwait(false);
                foreach (var problem in report.Errors)
                {
                    await error.WriteLineAsync($"error: {problem.File}: {problem.FieldPath}: {problem.Rule}").ConfigureAwait(false);
                }
            }

            return report.Outcome != "compared" || report.NewlyFailing > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary>
    /// The candidate by value: every mapping file, every upstream definition and every schema the mappings name, with
    /// paths relative to the deepest folder that holds them all (<c>files/…</c>, <c>schemas/…</c>).
    /// </summary>
    internal static ShadowRunRequest Request(string folder, MappingCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var mappingFolder = Path.GetFullPath(folder);
        var files = Directory.GetFiles(mappingFolder, "*.yaml")
            .Concat(Directory.Exists(Path.Combine(mappingFolder, MappingLoader.UpstreamsFolder))
                ? Directory.GetFiles(Path.Combine(mappingFolder, MappingLoader.UpstreamsFolder), "*.yaml")
                : [])
            .Concat(catalog.All.SelectMany(m => m.SchemaFiles))
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var root = files.Select(Path.GetDirectoryName).Append(mappingFolder).Aggregate(CommonFolder)!;
        var request = new ShadowRunRequest { Folder = Relative(root, mappingFolder) };
        request.Files.AddRange(files.Select(f => new CandidateFile { Path = Relative(root, f), Content = File.ReadAllText(f) }));
        return request;
    }

    /// <summary>The report as an integrator reads it: one line per mapping, then what changed and what now fails.</summary>
    internal static string Table(ShadowRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new System.Text.StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line($"shadow run {report.Id} by {report.Client}: {report.Outcome}");
        Line($"candidate {report.CandidateDigest}, serving {report.ServingDigest}");
        Line($"window: the last {report.WindowMaxInputs.ToString(CultureInfo.InvariantCulture)} inputs of each mapping within {report.WindowMaxAge}");
        if (report.Outcome != "compared")
        {
            Line($"candidate refused ({report.Errors.Count} errors, {report.SamplesFailed} samples failed): nothing replayed");
            return text.ToString();
        }

        Line($"{"mapping",-26} {"serving -> candidate",-46} {"replayed",8} {"unchanged",9} {"changed",7} {"newly failing",13}");
        foreach (var m in report.Mappings)
        {
            var versions = m.Serving == m.Candidate ? m.Candidate : $"{(m.Serving.Length == 0 ? "(new)" : m.Serving)} -> {(m.Candidate.Length == 0 ? "(removed)" : m.Candidate)}";
            Line($"{m.Id,-26} {versions,-46} {m.Replayed,8} {m.Unchanged,9} {m.Changed,7} {m.NewlyFailing,13}");
            foreach (var f in m.Fields)
            {
                Line($"    changed  {f.Path,-30} {f.Count,5}   e.g. {string.Join(", ", f.Examples)}");
            }

            foreach (var f in m.Failures)
            {
                Line($"    fails    {f.Rule}   ({f.Count})");
            }

            if (m.StillFailing > 0 || m.NowPassing > 0)
            {
                Line($"    failing before and after: {m.StillFailing}; failing before, passing now: {m.NowPassing}");
            }
        }

        Line($"{report.Replayed} inputs replayed, {report.Changed} outputs changed, {report.NewlyFailing} inputs newly failing");
        Line($"evidence: inputs {report.InputsDigest}, outputs {report.OutputsDigest}");
        return text.ToString();
    }

    private static Metadata Headers(string apiKey) => new() { { "x-api-key", apiKey } };

    private static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/') is var relative && relative == "." ? "" : relative;

    private static string? CommonFolder(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var left = a.Split(Path.DirectorySeparatorChar);
        var right = b.Split(Path.DirectorySeparatorChar);
        var n = 0;
        while (n < left.Length && n < right.Length && left[n] == right[n])
        {
            n++;
        }

        return string.Join(Path.DirectorySeparatorChar, left.Take(n)) is { Length: > 0 } common ? common : Path.DirectorySeparatorChar.ToString();
    }
}
