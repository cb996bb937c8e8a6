using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using OneStop.Cli.Commands;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// A hub that signs a checkpoint every 5 exchanges and has each timestamped by a (fake) RFC 3161 TSA, and the
/// evidence it leaves, untouched and tampered with.
/// </summary>
public sealed class EvidenceProofFixture : IAsyncLifetime
{
    public TimestampAuthorityMock Tsa { get; private set; } = null!;
    public HubServer Hub { get; private set; } = null!;
    public string Folder { get; } = Directory.CreateTempSubdirectory("onestop-evidence-proof-").FullName;
    public string TsaPem => Path.Combine(Folder, "tsa.pem");
    public string KeyPath => Path.Combine(Folder, "evidence.pfx");
    private TestSystems _systems = null!;

    public async ValueTask InitializeAsync()
    {
        Tsa = await TimestampAuthorityMock.StartAsync();
        await File.WriteAllTextAsync(TsaPem, Tsa.CertificatePem);
        using (var key = EvidenceSigningKey.CreateSelfSigned("OneStop test evidence", DateTimeOffset.UtcNow))
        {
            await File.WriteAllBytesAsync(KeyPath, key.Certificate.Export(X509ContentType.Pkcs12));
        }

        _systems = await TestSystems.StartAsync();
        var settings = _systems.Settings();
        settings["Evidence:SigningKey:Path"] = KeyPath;
        settings["Evidence:TimestampAuthority"] = Tsa.Url.ToString();
        settings["Evidence:CheckpointEvery"] = "5";
        settings["Evidence:CheckpointInterval"] = "00:00:01";
        Hub = HubServer.Start(settings);
        var client = new LookupService.LookupServiceClient(Hub.Grpc);
        for (var i = 0; i < 12; i++)
        {
            await client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, new Metadata { { "x-api-key", ClientCalls.DemoKey } });
        }

        // Checkpoints by count and by the interval, the last one timestamped (a token over a checkpoint anchors the
        // earlier ones too, so a backlog may share one).
        var store = (IEvidenceStore)Hub.Services.GetService(typeof(IEvidenceStore))!;
        await Eventually.Until(() => store.ReadAllAsync(CancellationToken.None), e =>
            {
                var checkpoints = e.Where(x => x.Operation == CheckpointStatement.Operation).ToList();
                return checkpoints.Count >= 3 && e.Any(x => x.Operation == EvidenceProof.TimestampOperation
                    && x.Chain == checkpoints[^1].Chain && EvidenceProof.Parse(x.Proof!).Checkpoint == checkpoints.Max(c => c.Seq));
            },
            "three checkpoints, the last timestamped", TimeSpan.FromSeconds(60));
    }

    public async Task<IReadOnlyList<EvidenceEntry>> EntriesAsync() =>
        await ((IEvidenceStore)Hub.Services.GetService(typeof(IEvidenceStore))!).ReadAllAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await _systems.DisposeAsync();
        await Tsa.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class EvidenceProofTests(EvidenceProofFixture fixture) : IClassFixture<EvidenceProofFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Exit, string Output)> Cli(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(EvidenceCommands.Create());
        using var output = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
        return (exit, output.ToString());
    }

    private async Task<string> CertificateFileAsync()
    {
        var path = Path.Combine(fixture.Folder, $"hub-{Guid.NewGuid():N}.pem");
        var (exit, output) = await Cli("evidence", "certificate", "--hub", fixture.Hub.HttpAddress.ToString(), "--out", path);
        exit.ShouldBe(0, output);
        return path;
    }

    private async Task<string> ArchiveAsync(IEnumerable<EvidenceEntry> entries)
    {
        var path = Path.Combine(fixture.Folder, $"archive-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, entries.Select(e => System.Text.Encoding.UTF8.GetString(e.CanonicalBytes())), Ct);
        return path;
    }

    /// <summary>Every entry of the chain after <paramref name="change"/>, relinked: prev and hash recomputed, as whoever can write to the topic could.</summary>
    private static List<EvidenceEntry> Rewrite(IEnumerable<EvidenceEntry> entries, Func<EvidenceEntry, EvidenceEntry> change)
    {
        var result = new List<EvidenceEntry>();
        foreach (var chain in entries.GroupBy(e => e.Chain))
        {
            var prev = EvidenceEntry.Genesis;
            foreach (var original in chain.OrderBy(e => e.Seq))
            {
                var e = change(original);
                var (linked, _) = EvidenceEntry.Link(e.Chain, e.Seq, prev, new ExchangeRecord
                {
                    Client = e.Client, Operation = e.Operation, Purpose = e.Purpose, Time = e.Time, Outcome = e.Outcome, RequestDigest = e.RequestDigest,
                    ResponseDigest = e.ResponseDigest, MappingVersion = e.MappingVersion, Upstream = e.Upstream, RequestId = e.RequestId, MaHoSo = e.MaHoSo,
                }, e.Proof);
                result.Add(linked);
                prev = linked.Hash;
            }
        }

        return result;
    }

    [Fact]
    public async Task An_untouched_chain_passes_with_every_checkpoint_signed_and_timestamped()
    {
        var (exit, output) = await Cli("evidence", "verify", "--hub", fixture.Hub.HttpAddress.ToString(), "--tsa-certificate", fixture.TsaPem);
        exit.ShouldBe(0, output);
        output.ShouldContain("every link verified");
        var checkpoints = output.Split('\n').Where(l => l.StartsWith("checkpoint chain", StringComparison.Ordinal)).ToList();
        checkpoints.Count.ShouldBeGreaterThanOrEqualTo(3, output);
        checkpoints.Take(3).ShouldAllBe(l => l.Contains("timestamped") && l.Contains("by CN=OneStop fake TSA") && l.Contains("proves entries"));
        output.ShouldNotContain("BROKEN");
    }

    [Fact]
    public async Task A_wholesale_rewrite_with_every_hash_recomputed_fails_at_the_first_checkpoint()
    {
        var entries = await fixture.EntriesAsync();
        var rewritten = Rewrite(entries, e => e.Proof is null ? e with { Outcome = "not_found" } : e);
        EvidenceChain.Verify(rewritten).Intact.ShouldBeTrue("the links alone cannot tell");

        var (exit, output) = await Cli("evidence", "verify", "--file", await ArchiveAsync(rewritten), "--certificate", await CertificateFileAsync(), "--tsa-certificate", fixture.TsaPem);
        exit.ShouldBe(EvidenceCommands.Broken, output);
        var first = entries.First(e => e.Operation == CheckpointStatement.Operation);
        output.Split('\n').First(l => l.StartsWith("BROKEN", StringComparison.Ordinal))
            .ShouldContain($"checkpoint {first.Seq}: entry {first.Seq - 1} is not the one the hub signed");
    }

    [Fact]
    public async Task A_checkpoint_forged_with_another_key_fails()
    {
        var entries = await fixture.EntriesAsync();
        var first = entries.First(e => e.Operation == CheckpointStatement.Operation);
        using var other = EvidenceSigningKey.CreateSelfSigned("attacker", DateTimeOffset.UtcNow);
        var forged = Rewrite(entries, e =>
        {
            if (e.Seq != first.Seq || e.Chain != first.Chain)
            {
                return e;
            }

            var proof = EvidenceProof.Parse(e.Proof!);
            return e with { Proof = (proof with { Signature = other.Sign(proof.Statement!) }).ToJson() };
        });

        var (exit, output) = await Cli("evidence", "verify", "--file", await ArchiveAsync(forged), "--certificate", await CertificateFileAsync(), "--tsa-certificate", fixture.TsaPem);
        exit.ShouldBe(EvidenceCommands.Broken, output);
        output.ShouldContain($"checkpoint {first.Seq}: the signature does not verify");
    }

    [Fact]
    public async Task A_token_from_another_TSA_fails()
    {
        var entries = await fixture.EntriesAsync();
        var stamp = entries.First(e => e.Operation == EvidenceProof.TimestampOperation);
        var stampProof = EvidenceProof.Parse(stamp.Proof!);
        var checkpoint = EvidenceProof.Parse(entries.Single(e => e.Chain == stamp.Chain && e.Seq == stampProof.Checkpoint).Proof!);
        await using var otherTsa = await TimestampAuthorityMock.StartAsync(name: "Another TSA");
        var request = EvidenceProofs.TimestampRequest(checkpoint.Signature!);
        using var http = new HttpClient();
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new("application/timestamp-query");
        using var response = await http.PostAsync(otherTsa.Url, content, Ct);
        var token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(Ct), out _).AsSignedCms().Encode();
        var swapped = Rewrite(entries, e => e.Chain == stamp.Chain && e.Seq == stamp.Seq ? e with { Proof = (stampProof with { Token = token }).ToJson() } : e);

        var (exit, output) = await Cli("evidence", "verify", "--file", await ArchiveAsync(swapped), "--certificate", await CertificateFileAsync(), "--tsa-certificate", fixture.TsaPem);
        exit.ShouldBe(EvidenceCommands.Broken, output);
        output.ShouldContain($"timestamp {stamp.Seq}: the token is signed by CN=Another TSA, not by a trusted TSA");
    }

    [Fact]
    public async Task Records_after_the_last_checkpoint_are_reported_as_not_yet_anchored()
    {
        var entries = await fixture.EntriesAsync();
        var chain = entries.First(e => e.Operation == CheckpointStatement.Operation).Chain;
        var last = entries.Where(e => e.Chain == chain && e.Operation == CheckpointStatement.Operation).MaxBy(e => e.Seq)!;
        // The chain up to its last checkpoint, then three more exchanges linked after it.
        var chainEntries = entries.Where(e => e.Chain == chain && e.Seq <= last.Seq).OrderBy(e => e.Seq).ToList();
        var prev = last.Hash;
        for (var i = 1; i <= 3; i++)
        {
            var next = EvidenceEntry.Link(chain, last.Seq + i, prev, new ExchangeRecord { Client = "demo", Operation = "LookupService/GetEnterprise", Time = DateTimeOffset.UtcNow, Outcome = "ok" });
            chainEntries.Add(next);
            prev = next.Hash;
        }

        var (exit, output) = await Cli("evidence", "verify", "--file", await ArchiveAsync(chainEntries), "--certificate", await CertificateFileAsync(), "--tsa-certificate", fixture.TsaPem);
        exit.ShouldBe(0, output);
        output.ShouldContain($"NOT YET ANCHORED: chain {chain} entries {last.Seq + 1}..{last.Seq + 3}");
    }

    [Fact]
    public async Task An_export_verifies_with_exactly_the_documented_openssl_commands()
    {
        var entries = await fixture.EntriesAsync();
        var folder = Path.Combine(fixture.Folder, "export-" + Guid.NewGuid().ToString("N"));
        var from = entries.Min(e => e.Time).AddSeconds(-1).ToString("O");
        var to = entries.Max(e => e.Time).AddSeconds(1).ToString("O");
        var (exit, output) = await Cli("evidence", "export", "--hub", fixture.Hub.HttpAddress.ToString(), "--tsa-certificate", fixture.TsaPem,
            "--from", from, "--to", to, "--out", folder);
        exit.ShouldBe(0, output);

        var script = await File.ReadAllLinesAsync(Path.Combine(folder, "VERIFY.txt"), Ct);
        var checkpoints = script.Where(l => l.StartsWith("# checkpoint ", StringComparison.Ordinal)).ToList();
        checkpoints.Count.ShouldBeGreaterThanOrEqualTo(3);
        var commands = script.Where(l => !l.StartsWith('#') && l.Length > 0).ToList();
        commands.ShouldContain(c => c.StartsWith("openssl ts -verify", StringComparison.Ordinal));
        string? expectedHead = null;
        foreach (var line in script)
        {
            if (line.StartsWith("# checkpoint ", StringComparison.Ordinal))
            {
                expectedHead = line[(line.LastIndexOf(' ') + 1)..];
                continue;
            }

            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var (code, stdout) = await Shell(line, folder);
            code.ShouldBe(0, $"{line}\n{stdout}");
            if (line.StartsWith("openssl dgst", StringComparison.Ordinal))
            {
                stdout.ShouldContain("Verified OK");
            }
            else if (line.StartsWith("openssl ts", StringComparison.Ordinal))
            {
                stdout.ShouldContain("Verification: OK");
            }
            else
            {
                stdout.Trim().ShouldStartWith(expectedHead!, customMessage: line);
            }
        }

        // And a tampered statement fails the same command.
        var statement = Directory.GetFiles(Path.Combine(folder, "checkpoints"), "*.statement.json")[0];
        await File.AppendAllTextAsync(statement, " ", Ct);
        var dgst = commands.First(c => c.StartsWith("openssl dgst", StringComparison.Ordinal) && c.EndsWith(Path.GetFileName(statement), StringComparison.Ordinal));
        (await Shell(dgst, folder)).Output.ShouldContain("Verification failure");
    }

    private static async Task<(int Code, string Output)> Shell(string command, string folder)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
