using System.CommandLine;
using OneStop.Mappings;
using OneStop.Schemas.Canonical;

namespace OneStop.Cli.Commands;

/// <summary>
/// <c>onestop mappings …</c>: check a mapping folder and run its samples (<c>test</c>), list what it holds
/// (<c>list</c>), write the canonical JSON Schemas mappings are checked against (<c>schemas</c>), and, against a
/// running hub, show what is in force (<c>status</c>) and shadow-run a candidate folder (<c>shadow</c>).
/// </summary>
public static class MappingsCommands
{
    /// <summary>Where the hub's own mapping files are, relative to the repository root.</summary>
    public const string DefaultFolder = "Mappings/files";

    /// <summary>Where the JSON Schemas of mappings are, relative to the repository root.</summary>
    public const string DefaultSchemaFolder = "Mappings/schemas";

    public static Command Create()
    {
        var mappings = new Command("mappings", "Mapping files: check them, run their samples, list them, generate canonical schemas; a hub's mappings in force, shadow runs");
        mappings.Subcommands.Add(Test());
        mappings.Subcommands.Add(List());
        mappings.Subcommands.Add(Schemas());
        mappings.Subcommands.Add(Status());
        mappings.Subcommands.Add(MappingsHubCommands.Shadow(FolderArgument()));
        return mappings;
    }

    internal static Argument<string> FolderArgument() => new("folder")
    {
        Description = $"Folder of mapping files (*.yaml, with upstream definitions in upstreams/); default {DefaultFolder}",
        DefaultValueFactory = _ => DefaultFolder,
    };

    private static Command Test()
    {
        var folder = FolderArgument();
        var command = new Command("test", "Load every mapping file of the folder (structure, rules, source and target schemas) and run every sample; exit 1 on any error")
        {
            folder,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!TryCheck(parse.GetValue(folder)!, error, out var report))
            {
                return 2;
            }

            if (report.Catalog is { All.Count: 0, Upstreams.Count: 0 })
            {
                // Nothing to check is not a pass: a wrong folder must not look like a green build.
                error.WriteLine($"error: no mapping files (*.yaml) in {report.Folder}: nothing was checked");
                return 1;
            }

            if (report.Catalog is { } catalog)
            {
                foreach (var mapping in catalog.All)
                {
                    var results = report.Samples.Where(s => s.MappingId == mapping.Id).ToList();
                    var passed = results.Count(r => r.Passed);
                    var status = passed == results.Count ? "ok  " : "FAIL";
                    var schemas = mapping.SourceSchema is null && mapping.TargetSchema is null
                        ? "no schemas"
                        : $"{mapping.SourceSchema ?? "?"} -> {mapping.TargetSchema ?? "?"}";
                    output.WriteLine($"{status}  {mapping.VersionTag,-34} {passed,3}/{results.Count,-3} samples  {schemas}");
                }

                foreach (var upstream in catalog.Upstreams)
                {
                    output.WriteLine($"ok    {upstream.VersionTag,-34} upstream ({upstream.Protocol.ToString().ToLowerInvariant()}: {upstream.RequestMapping}, {upstream.ReplyMapping})");
                }
            }

            foreach (var problem in report.Errors)
            {
                error.WriteLine($"error: {problem}");
            }

            output.WriteLine($"{report.SamplesPassed} samples passed");
            if (report.SamplesFailed > 0)
            {
                output.WriteLine($"{report.SamplesFailed} samples failed");
            }

            if (report.Catalog is null)
            {
                output.WriteLine($"{report.Errors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count()} files invalid: no sample ran");
            }

            return report.IsValid ? 0 : 1;
        });
        return command;
    }

    private static Command List()
    {
        var folder = FolderArgument();
        var command = new Command("list", "List the mappings and upstream definitions of the folder with their versions") { folder };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!TryCheck(parse.GetValue(folder)!, error, out var report))
            {
                return 2;
            }

            if (report.Catalog is not { } catalog)
            {
                foreach (var problem in report.Errors)
                {
                    error.WriteLine($"error: {problem}");
                }

                return 1;
            }

            output.WriteLine($"{"id",-28} {"version",-8} {"samples",-8} {"source",-32} target");
            foreach (var m in catalog.All)
            {
                output.WriteLine($"{m.Id,-28} {m.Version,-8} {m.Samples.Count,-8} {m.SourceSchema ?? "-",-32} {m.TargetSchema ?? "-"}");
            }

            foreach (var u in catalog.Upstreams)
            {
                output.WriteLine($"{u.Id,-28} {u.Version,-8} {"-",-8} upstream {u.Protocol.ToString().ToLowerInvariant()} {u.Method} {u.BaseUrl}{u.Endpoint}");
            }

            return 0;
        });
        return command;
    }

    private static Command Schemas()
    {
        var output = new Option<string>("--out")
        {
            Description = $"Folder to write the canonical schemas to; default {DefaultSchemaFolder}",
            DefaultValueFactory = _ => DefaultSchemaFolder,
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; exit 1 when a file differs from the canonical records (for CI)",
        };
        var command = new Command("schemas", "Generate the JSON Schemas of the canonical records (canonical.*.schema.json) that mapping files name as source or target")
        {
            output,
            check,
        };
        command.SetAction(parse =>
        {
            var writer = parse.InvocationConfiguration.Output;
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var checkOnly = parse.GetValue(check);
            var stale = 0;
            foreach (var (name, text) in CanonicalSchemas.Generate())
            {
                var path = Path.Combine(folder, name);
                var current = File.Exists(path) ? File.ReadAllText(path) : null;
                if (current == text)
                {
                    writer.WriteLine($"up to date  {name}");
                    continue;
                }

                stale++;
                if (checkOnly)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"error: {name} differs from the canonical records; run `mappings schemas` to regenerate it");
                    continue;
                }

                Directory.CreateDirectory(folder);
                File.WriteAllText(path, text);
                writer.WriteLine($"written     {name}");
            }

            return checkOnly && stale > 0 ? 1 : 0;
        });
        return command;
    }

    private static Command Status()
    {
        var json = HubCall.JsonOption();
        var command = new Command("status", "The mappings a running hub has in force, and its last reload and last refused change") { json };
        HubCall.SetAction(command, async (parse, channel, headers, ct) =>
        {
            var client = new Grpc.V1.MappingAdminService.MappingAdminServiceClient(channel);
            var list = await client.ListMappingsAsync(new Grpc.V1.ListMappingsRequest(), headers, cancellationToken: ct).ConfigureAwait(false);
            var report = await client.GetReloadReportAsync(new Grpc.V1.GetReloadReportRequest(), headers, cancellationToken: ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync($"{{\"mappings\": {HubCall.ToJson(list)},\n\"reload\": {HubCall.ToJson(report)}}}").ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"folder {list.Folder}, digest {list.Digest[..Math.Min(12, list.Digest.Length)]}, active since {list.ActiveSince}").ConfigureAwait(false);
            await HubCall.WriteTableAsync(output, ["MAPPING", "VERSION", "FILE", "SAMPLES", "LOADED AT"],
                list.Mappings.Select(m => (IReadOnlyList<string>)[m.Id, m.Version, m.File, m.SampleCount.ToString(System.Globalization.CultureInfo.InvariantCulture), m.LoadedAt])
                    .Concat(list.Upstreams.Select(u => (IReadOnlyList<string>)[$"upstream {u.Id}", u.Version, u.File, "-", u.LoadedAt]))).ConfigureAwait(false);
            foreach (var (label, r) in new[] { ("last reload", report.LastReload), ("last refused", report.LastRefused) })
            {
                if (r is null)
                {
                    await output.WriteLineAsync($"{label}: none").ConfigureAwait(false);
                    continue;
                }

                await output.WriteLineAsync($"{label}: {r.Outcome} at {r.Time}, {r.SamplesPassed} samples passed, {r.SamplesFailed} failed{(r.Changed.Count > 0 ? ", changed " + string.Join(", ", r.Changed) : "")}").ConfigureAwait(false);
                foreach (var e in r.Errors)
                {
                    await output.WriteLineAsync($"  {e.File}: {e.FieldPath}: {e.Rule}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static bool TryCheck(string folder, TextWriter error, out MappingFolderReport report)
    {
        try
        {
            report = MappingLoader.CheckFolder(folder);
            return true;
        }
        catch (DirectoryNotFoundException e)
        {
            error.WriteLine($"error: {e.Message}");
            report = null!;
            return false;
        }
    }
}
