using System.CommandLine;
using Grpc.Core;
using OneStop.Cli.Commands;
using OneStop.Grpc.V1;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>The CLI's evidence commands against a running hub and against archives of it, including tampered ones.</summary>
public sealed class EvidenceCliTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata Key(string key) => new() { { "x-api-key", key } };

    private async Task<(int Exit, string Output)> Cli(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(EvidenceCommands.Create());
        root.Subcommands.Add(ClientCommands.Create());
        using var output = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
        return (exit, output.ToString());
    }

    private async Task MakeExchanges()
    {
        var client = new LookupService.LookupServiceClient(fixture.Hub.Grpc);
        await client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = "038085000123" }, Key("onestop-demo-key"), cancellationToken: Ct);
        await Should.ThrowAsync<RpcException>(() => client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = "038085999999" }, Key("onestop-demo-key"), cancellationToken: Ct).ResponseAsync);
        await Should.ThrowAsync<RpcException>(() => client.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = "3820000123" }, Key("onestop-limited-key"), cancellationToken: Ct).ResponseAsync);
        await client.GetEnterpriseAsync(new GetEnterpriseRequest
        {
            MaSoDoanhNghiep = "2801234564", Context = new LookupContext { MaHoSo = "000.00.01.H56-260102-0042" },
        }, Key("onestop-demo-key"), cancellationToken: Ct);
    }

    [Fact]
    public async Task Verify_proves_the_chain_of_the_running_hub()
    {
        await MakeExchanges();
        var (exit, output) = await Cli("evidence", "verify", "--hub", fixture.Hub.HttpAddress.ToString(), "--api-key", "onestop-demo-key");
        output.ShouldContain("OK: ");
        output.ShouldContain("every link verified");
        exit.ShouldBe(0);
    }

    [Fact]
    public async Task Verify_of_an_archive_finds_a_removed_and_an_altered_entry()
    {
        await MakeExchanges();
        var archive = Path.Combine(Path.GetTempPath(), $"onestop-evidence-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (archived, archiveOutput) = await Cli("evidence", "archive", "--hub", fixture.Hub.HttpAddress.ToString(), "--out", archive);
            archived.ShouldBe(0, archiveOutput);
            var lines = await File.ReadAllLinesAsync(archive, Ct);
            lines.Length.ShouldBeGreaterThanOrEqualTo(4);
            (await Cli("evidence", "verify", "--file", archive)).Exit.ShouldBe(0);

            // Remove one entry from the middle.
            var removedAt = lines.Length / 2;
            await File.WriteAllLinesAsync(archive, lines.Where((_, i) => i != removedAt), Ct);
            var (exit, output) = await Cli("evidence", "verify", "--file", archive);
            exit.ShouldBe(EvidenceCommands.Broken);
            output.ShouldContain($"entry {removedAt} is missing");

            // Alter one entry: a refusal rewritten as a success.
            var refused = Array.FindIndex(lines, l => l.Contains("\"outcome\":\"permission_denied\"", StringComparison.Ordinal));
            refused.ShouldBeGreaterThanOrEqualTo(0);
            var altered = (string[])lines.Clone();
            altered[refused] = altered[refused].Replace("\"outcome\":\"permission_denied\"", "\"outcome\":\"ok\"", StringComparison.Ordinal);
            await File.WriteAllLinesAsync(archive, altered, Ct);
            (exit, output) = await Cli("evidence", "verify", "--file", archive);
            exit.ShouldBe(EvidenceCommands.Broken);
            output.ShouldContain($"entry {refused} was altered");

            // Altering and re-hashing one entry still breaks the link of the next.
            var entry = OneStop.Hub.Evidence.EvidenceEntry.Parse(System.Text.Encoding.UTF8.GetBytes(lines[refused]));
            var forged = entry with { Outcome = "ok" };
            forged = forged with { Hash = forged.ComputeHash() };
            altered[refused] = System.Text.Encoding.UTF8.GetString(forged.CanonicalBytes());
            await File.WriteAllLinesAsync(archive, altered, Ct);
            (exit, output) = await Cli("evidence", "verify", "--file", archive);
            exit.ShouldBe(EvidenceCommands.Broken);
            output.ShouldContain($"entry {refused + 1} does not link to entry {refused}");
        }
        finally
        {
            File.Delete(archive);
        }
    }

    [Fact]
    public async Task Query_filters_by_client_operation_dossier_and_time()
    {
        await MakeExchanges();
        var hub = fixture.Hub.HttpAddress.ToString();
        var (_, denied) = await Cli("evidence", "query", "--hub", hub, "--client", "demo-limited", "--operation", "LookupService/GetInsurance");
        denied.ShouldContain("\"outcome\":\"permission_denied\"");
        denied.ShouldNotContain("\"client\":\"demo\"");

        var (_, dossier) = await Cli("evidence", "query", "--hub", hub, "--ma-ho-so", "000.00.01.H56-260102-0042");
        dossier.ShouldContain("\"operation\":\"LookupService/GetEnterprise\"");
        dossier.ShouldNotContain("LookupService/VerifyCitizen");

        var (_, none) = await Cli("evidence", "query", "--hub", hub, "--from", "2000-01-01T00:00:00Z", "--to", "2000-01-02T00:00:00Z");
        none.ShouldContain("0 of ");
    }

    [Fact]
    public async Task Clients_new_key_prints_a_key_whose_hash_the_hub_accepts()
    {
        var (exit, output) = await Cli("clients", "new-key");
        exit.ShouldBe(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var key = lines.Single(l => l.StartsWith("key:", StringComparison.Ordinal))[4..].Trim();
        var hash = lines.Single(l => l.StartsWith("hash:", StringComparison.Ordinal))[5..].Trim();
        hash.ShouldBe(OneStop.Hub.Security.ApiKeys.Hash(key));
        (await Cli("clients", "hash-key", "onestop-demo-key")).Output.Trim().ShouldBe("sha256:2631e91a68b4e38b886d66d6783481131f2dd1ca512eea6bfe0d5a0800f97823");
    }
}
