using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OneStop.Hub.Evidence;

namespace OneStop.Cli.Commands;

/// <summary>
/// <c>evidence verify | query | archive</c>: proves and searches the hash-chained evidence of a running hub (read
/// over its HTTP port with an admin key) or of archive files (JSON lines, one entry per line).
/// </summary>
public static class EvidenceCommands
{
    public const string DefaultHub = "http://127.0.0.1:5080";
    public const string ApiKeyVariable = "ONESTOP_API_KEY";

    /// <summary>Exit code when the chain is broken (an entry removed, altered or cut off).</summary>
    public const int Broken = 2;

    public static Command Create()
    {
        var hub = new Option<Uri>("--hub")
        {
            Description = "HTTP address of the hub (its SOAP/health port)",
            DefaultValueFactory = _ => new Uri(DefaultHub),
            CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var uri) ? uri : throw new FormatException("--hub must be an absolute URL"),
        };
        var key = new Option<string>("--api-key")
        {
            Description = $"API key of a client with the admin right EvidenceService/* (default: ${ApiKeyVariable}, else the demo key)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } k ? k : "onestop-demo-key",
        };
        var files = new Option<FileInfo[]>("--file") { Description = "Archive file(s) to read instead of a hub", AllowMultipleArgumentsPerToken = true };

        var verify = new Command("verify", "Prove the evidence chains: every entry present, unaltered and linked to the one before");
        verify.Options.Add(hub);
        verify.Options.Add(key);
        verify.Options.Add(files);
        verify.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var (entries, heads) = await LoadAsync(result.GetValue(hub)!, result.GetValue(key)!, result.GetValue(files), withHeads: true, ct).ConfigureAwait(false);
            var report = EvidenceChain.Verify(entries, heads);
            foreach (var head in report.Heads)
            {
                await output.WriteLineAsync($"chain {head.Chain}: entries 0..{head.Seq}, head {head.Hash}").ConfigureAwait(false);
            }

            foreach (var problem in report.Problems)
            {
                await output.WriteLineAsync("BROKEN: " + problem).ConfigureAwait(false);
            }

            await output.WriteLineAsync(report.Intact
                ? $"OK: {report.Entries} entries in {report.Heads.Count} chain(s), every link verified"
                : $"FAILED: {report.Problems.Count} problem(s) in {report.Entries} entries").ConfigureAwait(false);
            return report.Intact ? 0 : Broken;
        });

        var client = new Option<string>("--client") { Description = "Only this client id" };
        var operation = new Option<string>("--operation") { Description = "Only this operation (Service/Method, or Service/*)" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "From this time (ISO 8601, inclusive)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Before this time (ISO 8601, exclusive)" };
        var dossier = new Option<string>("--ma-ho-so") { Description = "Only exchanges about this dossier (MaHoSo)" };
        var outcome = new Option<string>("--outcome") { Description = "Only this outcome (ok, not_found, permission_denied, …)" };
        var query = new Command("query", "List evidence entries (JSON lines) by client, operation, time range, dossier and outcome");
        foreach (var option in new Option[] { hub, key, files, client, operation, from, to, dossier, outcome })
        {
            query.Options.Add(option);
        }

        query.SetAction(async (result, ct) =>
        {
            var filter = new EvidenceFilter
            {
                Client = result.GetValue(client),
                Operation = result.GetValue(operation),
                From = result.GetValue(from),
                To = result.GetValue(to),
                MaHoSo = result.GetValue(dossier),
                Outcome = result.GetValue(outcome),
            };
            var (entries, _) = await LoadAsync(result.GetValue(hub)!, result.GetValue(key)!, result.GetValue(files), withHeads: false, ct).ConfigureAwait(false);
            var output = result.InvocationConfiguration.Output;
            var count = 0;
            foreach (var entry in entries.Where(filter.Matches))
            {
                await output.WriteLineAsync(Encoding.UTF8.GetString(entry.CanonicalBytes())).ConfigureAwait(false);
                count++;
            }

            await result.InvocationConfiguration.Error.WriteLineAsync($"{count} of {entries.Count} entries match").ConfigureAwait(false);
            return 0;
        });

        var outFile = new Option<FileInfo>("--out") { Description = "Archive file to write (JSON lines)", Required = true };
        var archive = new Command("archive", "Copy every evidence entry of a running hub to a file (JSON lines) that verify and query read");
        archive.Options.Add(hub);
        archive.Options.Add(key);
        archive.Options.Add(outFile);
        archive.SetAction(async (result, ct) =>
        {
            var (entries, _) = await LoadAsync(result.GetValue(hub)!, result.GetValue(key)!, null, withHeads: false, ct).ConfigureAwait(false);
            var target = result.GetValue(outFile)!;
            await File.WriteAllLinesAsync(target.FullName, entries.Select(e => Encoding.UTF8.GetString(e.CanonicalBytes())), ct).ConfigureAwait(false);
            await result.InvocationConfiguration.Output.WriteLineAsync($"archived {entries.Count} entries to {target.FullName}").ConfigureAwait(false);
            return 0;
        });

        var group = new Command("evidence", "Evidence of exchanges: verify the hash chains, query, archive");
        group.Subcommands.Add(verify);
        group.Subcommands.Add(query);
        group.Subcommands.Add(archive);
        return group;
    }

    /// <summary>Entries from archive files, or from a hub (with its chain heads, read first, when asked).</summary>
    public static async Task<(IReadOnlyList<EvidenceEntry> Entries, IReadOnlyList<EvidenceHead>? Heads)> LoadAsync(
        Uri hub, string apiKey, FileInfo[]? files, bool withHeads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (files is { Length: > 0 })
        {
            var entries = new List<EvidenceEntry>();
            foreach (var file in files)
            {
                var number = 0;
                foreach (var line in await File.ReadAllLinesAsync(file.FullName, cancellationToken).ConfigureAwait(false))
                {
                    number++;
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        entries.Add(Parse(line, $"{file.Name}:{number}"));
                    }
                }
            }

            return (entries, null);
        }

        using var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        IReadOnlyList<EvidenceHead>? heads = null;
        if (withHeads)
        {
            using var doc = JsonDocument.Parse(await Get(http, "/admin/evidence/head", cancellationToken).ConfigureAwait(false));
            heads = [.. doc.RootElement.EnumerateArray().Select(h => new EvidenceHead(h.GetProperty("chain").GetString()!, h.GetProperty("seq").GetInt64(), h.GetProperty("hash").GetString()!))];
        }

        var body = await Get(http, "/admin/evidence", cancellationToken).ConfigureAwait(false);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ([.. lines.Select((l, i) => Parse(l, $"line {(i + 1).ToString(CultureInfo.InvariantCulture)}"))], heads);
    }

    private static async Task<string> Get(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: HTTP {(int)response.StatusCode}: {text}");
        }

        return text;
    }

    private static EvidenceEntry Parse(string line, string where)
    {
        try
        {
            return EvidenceEntry.Parse(Encoding.UTF8.GetBytes(line));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{where}: {e.Message}", e);
        }
    }
}
