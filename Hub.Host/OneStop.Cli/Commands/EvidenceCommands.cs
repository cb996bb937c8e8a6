using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
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

        var certificates = new Option<FileInfo[]>("--certificate")
        {
            Description = "PEM file(s) with the hub's evidence certificates to check checkpoint signatures against (default: GET /evidence/certificate of --hub)",
            AllowMultipleArgumentsPerToken = true,
        };
        var tsaCertificates = new Option<FileInfo[]>("--tsa-certificate")
        {
            Description = "PEM file(s) with the certificate(s) of the trusted time-stamping authority (root or the TSA's own)",
            AllowMultipleArgumentsPerToken = true,
        };

        var verify = new Command("verify", "Prove the evidence chains: every entry present, unaltered and linked; every checkpoint signed; every timestamp from the TSA");
        foreach (var option in new Option[] { hub, key, files, certificates, tsaCertificates })
        {
            verify.Options.Add(option);
        }

        verify.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var (entries, heads) = await LoadAsync(result.GetValue(hub)!, result.GetValue(key)!, result.GetValue(files), withHeads: true, ct).ConfigureAwait(false);
            var signers = await CertificatesAsync(result.GetValue(hub)!, result.GetValue(certificates), result.GetValue(files) is { Length: > 0 }, ct).ConfigureAwait(false);
            var tsa = ReadPem(result.GetValue(tsaCertificates));
            return await VerifyAsync(output, entries, heads, signers, tsa).ConfigureAwait(false);
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

        var keyId = new Option<string>("--key-id") { Description = "Only the certificate of this key id" };
        var certOut = new Option<FileInfo>("--out") { Description = "Write the PEM to this file instead of the console" };
        var certificate = new Command("certificate", "Fetch the hub's evidence certificates (PEM, each after its key id; current key first)");
        certificate.Options.Add(hub);
        certificate.Options.Add(keyId);
        certificate.Options.Add(certOut);
        certificate.SetAction(async (result, ct) =>
        {
            using var http = new HttpClient { BaseAddress = result.GetValue(hub), Timeout = TimeSpan.FromSeconds(30) };
            var path = "/evidence/certificate" + (result.GetValue(keyId) is { } id ? "?key_id=" + Uri.EscapeDataString(id) : "");
            var pem = await Get(http, path, ct).ConfigureAwait(false);
            if (result.GetValue(certOut) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, pem, ct).ConfigureAwait(false);
                await result.InvocationConfiguration.Output.WriteLineAsync($"wrote {file.FullName}").ConfigureAwait(false);
            }
            else
            {
                await result.InvocationConfiguration.Output.WriteAsync(pem).ConfigureAwait(false);
            }

            return 0;
        });

        var exportFrom = new Option<DateTimeOffset>("--from") { Description = "Exchanges from this time (ISO 8601, inclusive)", Required = true };
        var exportTo = new Option<DateTimeOffset>("--to") { Description = "Exchanges before this time (ISO 8601, exclusive)", Required = true };
        var exportOut = new Option<DirectoryInfo>("--out") { Description = "Folder to write the export to", Required = true };
        var export = new Command("export", "Write the entries of a time range with the checkpoints, timestamps and certificates that prove them, for an auditor to check with openssl");
        foreach (var option in new Option[] { hub, key, files, certificates, tsaCertificates, exportFrom, exportTo, exportOut })
        {
            export.Options.Add(option);
        }

        export.SetAction(async (result, ct) =>
        {
            var (entries, _) = await LoadAsync(result.GetValue(hub)!, result.GetValue(key)!, result.GetValue(files), withHeads: false, ct).ConfigureAwait(false);
            var signers = await CertificatesAsync(result.GetValue(hub)!, result.GetValue(certificates), result.GetValue(files) is { Length: > 0 }, ct).ConfigureAwait(false);
            var written = await EvidenceExport.WriteAsync(result.GetValue(exportOut)!, entries, signers, ReadPem(result.GetValue(tsaCertificates)),
                result.GetValue(exportFrom), result.GetValue(exportTo), ct).ConfigureAwait(false);
            await result.InvocationConfiguration.Output.WriteLineAsync(written).ConfigureAwait(false);
            return 0;
        });

        var group = new Command("evidence", "Evidence of exchanges: verify the hash chains and signed checkpoints, query, archive, export, certificates");
        group.Subcommands.Add(verify);
        group.Subcommands.Add(query);
        group.Subcommands.Add(archive);
        group.Subcommands.Add(export);
        group.Subcommands.Add(certificate);
        return group;
    }

    /// <summary>Checks links, then checkpoint signatures and timestamp tokens; prints what each checkpoint proves and what is not yet anchored.</summary>
    public static async Task<int> VerifyAsync(TextWriter output, IReadOnlyList<EvidenceEntry> entries, IReadOnlyList<EvidenceHead>? heads,
        IReadOnlyList<X509Certificate2> signers, IReadOnlyList<X509Certificate2> tsa)
    {
        ArgumentNullException.ThrowIfNull(output);
        var report = EvidenceChain.Verify(entries, heads);
        var proofs = EvidenceProofs.Verify(entries, signers, tsa.Count == 0 ? null : tsa);
        foreach (var head in report.Heads)
        {
            await output.WriteLineAsync($"chain {head.Chain}: entries 0..{head.Seq}, head {head.Hash}").ConfigureAwait(false);
        }

        foreach (var c in proofs.Checkpoints)
        {
            var stamped = c.TimestampedAt is { } t ? $", timestamped {t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} by {c.TimestampAuthority}" : ", NOT TIMESTAMPED";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"checkpoint chain {c.Chain} entry {c.Seq}: proves entries {c.FromSeq}..{c.ToSeq} made {c.From:yyyy-MM-dd'T'HH:mm:ss'Z'} to {c.To:yyyy-MM-dd'T'HH:mm:ss'Z'}, signed by key {c.KeyId}{stamped}")).ConfigureAwait(false);
        }

        foreach (var u in proofs.Unanchored)
        {
            await output.WriteLineAsync($"NOT YET ANCHORED: chain {u.Chain} entries {u.FromSeq}..{u.ToSeq} (after the last signed checkpoint)").ConfigureAwait(false);
        }

        foreach (var warning in proofs.Warnings)
        {
            await output.WriteLineAsync("WARNING: " + warning).ConfigureAwait(false);
        }

        var problems = report.Problems.Concat(proofs.Problems).ToList();
        foreach (var problem in problems)
        {
            await output.WriteLineAsync("BROKEN: " + problem).ConfigureAwait(false);
        }

        await output.WriteLineAsync(problems.Count == 0
            ? $"OK: {report.Entries} entries in {report.Heads.Count} chain(s), every link verified, {proofs.Checkpoints.Count} checkpoint(s) verified"
            : $"FAILED: {problems.Count} problem(s) in {report.Entries} entries").ConfigureAwait(false);
        return problems.Count == 0 ? 0 : Broken;
    }

    /// <summary>Evidence certificates from files, or (when none are given and a hub is read) from the hub.</summary>
    private static async Task<IReadOnlyList<X509Certificate2>> CertificatesAsync(Uri hub, FileInfo[]? files, bool offline, CancellationToken ct)
    {
        if (files is { Length: > 0 } || offline)
        {
            return ReadPem(files);
        }

        using var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri("/evidence/certificate", UriKind.Relative), ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        return [.. collection];
    }

    public static IReadOnlyList<X509Certificate2> ReadPem(FileInfo[]? files)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files ?? [])
        {
            collection.ImportFromPemFile(file.FullName);
        }

        return [.. collection];
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
