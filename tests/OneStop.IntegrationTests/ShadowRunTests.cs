using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using OneStop.Cli.Commands;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The real hub with recent traffic in its shadow window: dossier events delivered to EMC (emc.request applied on the
/// delivery path), citizen and insurance lookups. Logging at Trace, so the personal-data scan sees every line.
/// </summary>
public sealed partial class ShadowFixture : IAsyncLifetime
{
    /// <summary>Dossier status of each published event: four are "processing" (4), the code the code-table test changes.</summary>
    public static readonly int[] Statuses = [1, 2, 4, 4, 5, 9, 10, 2, 4, 4];

    public TestSystems Systems { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public List<string> MaHoSo { get; } = [];

    public IReadOnlyList<Citizen> Citizens { get; } = [.. SyntheticDataset.Default.Citizens.Take(5)];

    public IReadOnlyList<InsuranceRecord> Insured { get; } = [.. SyntheticDataset.Default.InsuranceRecords.Take(5)];

    /// <summary>Every report a test in this class printed (JSON and table), for the personal-data scan.</summary>
    public List<string> Printed { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "Polly", "System.Net.Http.HttpClient", "Grpc" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        Hub = HubServer.Start(settings);
        var ct = TestContext.Current.CancellationToken;
        var dossiers = new DossierService.DossierServiceClient(Hub.Grpc.WithApiKey());
        for (var i = 0; i < Statuses.Length; i++)
        {
            var maHoSo = $"000.00.01.H56-261127-{i + 1:D4}";
            MaHoSo.Add(maHoSo);
            await dossiers.PublishEventAsync(DossierRoutingTests.Event(maHoSo, Statuses[i], $"shadow-{i}"), cancellationToken: ct);
        }

        var lookups = new LookupService.LookupServiceClient(Hub.Grpc.WithApiKey());
        foreach (var c in Citizens)
        {
            await lookups.VerifyCitizenAsync(new VerifyCitizenRequest
            {
                SoDinhDanh = c.SoDinhDanh, HoVaTen = c.HoVaTen, NgayThangNamSinh = c.NgaySinh.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken: ct);
        }

        foreach (var r in Insured)
        {
            await lookups.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = r.MaSoBHXH }, cancellationToken: ct);
        }

        await Eventually.True(() => MaHoSo.All(m => Systems.Destinations.Emc.SideEffectsFor(m).Count == 1), "EMC receives every event", cancellationToken: ct);
        // The portal's deliveries (portal.dossier.request) run concurrently with EMC's: the window holds them once the
        // portal has each dossier.
        await Eventually.True(() => MaHoSo.All(m => Systems.Destinations.Portal.SideEffectsFor(m).Count >= 1), "the portal receives every dossier", cancellationToken: ct);
    }

    /// <summary>Runs <c>mappings shadow FOLDER --json</c> against the hub: the exit code and the report.</summary>
    public (int Exit, JsonElement Report, string Error) ShadowJson(string folder)
    {
        var (exit, output, error) = Cli("mappings", "shadow", folder, "--hub", Hub.GrpcAddress.ToString(), "--json");
        using var doc = JsonDocument.Parse(output);
        return (exit, doc.RootElement.Clone(), error);
    }

    public (int Exit, string Output, string Error) Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = OneStop.Cli.Program.Run(args, output, error);
        lock (Printed)
        {
            Printed.Add(output.ToString());
            Printed.Add(error.ToString());
        }

        return (exit, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}

public sealed partial class ShadowRunTests(ShadowFixture fixture) : IClassFixture<ShadowFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Mapping(JsonElement report, string id) =>
        report.GetProperty("mappings").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    [Fact]
    public void An_unchanged_folder_shows_no_difference_for_any_input()
    {
        using var candidate = new MappingFolderCopy();
        var (exit, report, _) = fixture.ShadowJson(candidate.Files);

        exit.ShouldBe(0);
        report.GetProperty("outcome").GetString().ShouldBe("compared");
        Int(Mapping(report, "emc.request"), "replayed").ShouldBe(ShadowFixture.Statuses.Length);
        Int(Mapping(report, "population.request"), "replayed").ShouldBe(fixture.Citizens.Count);
        Int(Mapping(report, "insurance.reply"), "replayed").ShouldBe(fixture.Insured.Count);
        foreach (var m in report.GetProperty("mappings").EnumerateArray())
        {
            (Int(m, "unchanged") + Int(m, "still_failing")).ShouldBe(Int(m, "replayed"), m.GetProperty("id").GetString());
            Int(m, "changed").ShouldBe(0);
            Int(m, "newly_failing").ShouldBe(0);
        }

        Int(report, "changed").ShouldBe(0);
        Int(report, "newly_failing").ShouldBe(0);
    }

    [Fact]
    public async Task A_code_table_change_changes_EMC_Status_for_exactly_the_affected_events_and_is_recorded_as_evidence()
    {
        using var candidate = new MappingFolderCopy();
        candidate.Edit("emc.request.yaml", "version: 1", "version: 2");
        candidate.Edit("emc.request.yaml", "\"4\": \"2\"", "\"4\": \"4\""); // processing -> assigned

        var (exit, report, _) = fixture.ShadowJson(candidate.Files);

        exit.ShouldBe(0); // changes are for the integrator to judge; only new failures fail the run
        var emc = Mapping(report, "emc.request");
        emc.GetProperty("serving").GetString().ShouldBe("emc.request@1");
        emc.GetProperty("candidate").GetString().ShouldBe("emc.request@2");
        var affected = ShadowFixture.Statuses.Count(s => s == 4);
        Int(emc, "changed").ShouldBe(affected);
        Int(emc, "unchanged").ShouldBe(ShadowFixture.Statuses.Length - affected);
        var field = emc.GetProperty("fields").EnumerateArray().ShouldHaveSingleItem();
        field.GetProperty("path").GetString().ShouldBe("Status");
        Int(field, "count").ShouldBe(affected);
        field.GetProperty("examples").EnumerateArray().Select(e => e.GetString()).ShouldBe(["2 → 4"]);
        foreach (var other in report.GetProperty("mappings").EnumerateArray().Where(m => m.GetProperty("id").GetString() != "emc.request"))
        {
            Int(other, "changed").ShouldBe(0);
        }

        // Nothing was swapped: the hub still serves version 1.
        var admin = new MappingAdminService.MappingAdminServiceClient(fixture.Hub.Grpc.WithApiKey());
        (await admin.ListMappingsAsync(new ListMappingsRequest(), cancellationToken: Ct)).Mappings.Single(m => m.Id == "emc.request").Version.ShouldBe("1");

        var id = report.GetProperty("id").GetString();
        var entry = await Eventually.Until(
            async () => (await EvidenceCommands.LoadAsync(fixture.Hub.HttpAddress, ClientCalls.DemoKey, null, withHeads: false, Ct)).Entries.SingleOrDefault(e => e.RequestId == id),
            e => e is not null, "the shadow run's evidence entry");
        entry!.Operation.ShouldBe("MappingAdminService/ShadowRun");
        entry.Client.ShouldBe("demo");
        entry.Outcome.ShouldBe("ok");
        entry.MappingVersion!.Split(',').ShouldContain("emc.request@1->emc.request@2");
        entry.RequestDigest.ShouldBe(report.GetProperty("inputs_digest").GetString());
        entry.ResponseDigest.ShouldBe(report.GetProperty("outputs_digest").GetString());
    }

    [Fact]
    public void A_date_format_change_that_passes_its_samples_fails_recent_replies_and_the_CLI_exits_non_zero()
    {
        using var candidate = new MappingFolderCopy();
        candidate.Edit("insurance.reply.yaml", "version: 1", "version: 2");
        // The integrator believes the months now come as MM-yyyy, and rewrites the samples to match: they pass.
        var file = Path.Combine(candidate.Files, "insurance.reply.yaml");
        var text = File.ReadAllText(file)
            .Replace("from: MM/yyyy", "from: MM-yyyy", StringComparison.Ordinal)
            .Replace("in format MM/yyyy", "in format MM-yyyy", StringComparison.Ordinal);
        File.WriteAllText(file, MonthInSample().Replace(text, "\"$1\": \"$2-$3\""));
        var local = fixture.Cli("mappings", "test", candidate.Files);
        local.Exit.ShouldBe(0, local.Error);

        var (exit, report, _) = fixture.ShadowJson(candidate.Files);

        exit.ShouldBe(1);
        var insurance = Mapping(report, "insurance.reply");
        var withPeriods = fixture.Insured.Count(r => r.QuaTrinhThamGia.Count > 0);
        withPeriods.ShouldBeGreaterThan(0);
        Int(insurance, "newly_failing").ShouldBe(withPeriods);
        var failure = insurance.GetProperty("failures").EnumerateArray().ShouldHaveSingleItem();
        failure.GetProperty("rule").GetString().ShouldBe("qua_trinh_tham_gia[0].tu_thang: value is not a date in format MM-yyyy");
        Int(failure, "count").ShouldBe(withPeriods);
        Int(report, "newly_failing").ShouldBe(withPeriods);

        var table = fixture.Cli("mappings", "shadow", candidate.Files, "--hub", fixture.Hub.GrpcAddress.ToString());
        table.Exit.ShouldBe(1);
        table.Output.ShouldContain($"fails    qua_trinh_tham_gia[0].tu_thang: value is not a date in format MM-yyyy   ({withPeriods})");
        TestContext.Current.TestOutputHelper?.WriteLine(table.Output);
        foreach (var line in DocsBlock("<!-- shadow run failure example: ShadowRunTests finds these lines in the real output -->").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            table.Output.ShouldContain(line);
        }
    }

    [Fact]
    public void A_candidate_that_fails_its_own_samples_is_refused_before_anything_is_replayed()
    {
        using var candidate = new MappingFolderCopy();
        candidate.Edit("emc.request.yaml", "\"9\": \"3\"", "\"9\": \"2\""); // a sample expects 3 for a ready result

        var (exit, output, error) = fixture.Cli("mappings", "shadow", candidate.Files, "--hub", fixture.Hub.GrpcAddress.ToString());

        exit.ShouldBe(1);
        output.ShouldContain("candidate refused by its own checks");
        error.ShouldContain("emc.request.yaml: Status: sample");
    }

    [Fact]
    public async Task Shadow_reports_logs_and_evidence_hold_no_identifier_name_or_address()
    {
        using var candidate = new MappingFolderCopy();
        // A change that touches personal data: the population database is now sent the given name only.
        candidate.Edit("population.request.yaml", "  HoVaTen: ho_va_ten", "  HoVaTen: { path: ho_va_ten, split: { separator: \" \", take: last } }");
        candidate.Edit("population.request.yaml", "      HoVaTen: Nguyễn Văn An", "      HoVaTen: An");
        candidate.Edit("emc.request.yaml", "\"4\": \"2\"", "\"4\": \"4\"");

        var (exit, report, _) = fixture.ShadowJson(candidate.Files);
        exit.ShouldBe(0);
        var population = Mapping(report, "population.request");
        Int(population, "changed").ShouldBe(fixture.Citizens.Count);
        var names = population.GetProperty("fields").EnumerateArray().ShouldHaveSingleItem();
        names.GetProperty("path").GetString().ShouldBe("HoVaTen");
        names.GetProperty("examples").EnumerateArray().ShouldAllBe(e => Regex.IsMatch(e.GetString()!, @"^\*+ → \*+$"));
        fixture.Cli("mappings", "shadow", candidate.Files, "--hub", fixture.Hub.GrpcAddress.ToString()).Exit.ShouldBe(0);

        var needles = fixture.Citizens.SelectMany(c => new[] { c.SoDinhDanh, c.HoVaTen, c.ThuongTru.ChiTiet, c.NoiOHienTai.ChiTiet })
            .Concat(fixture.Insured.SelectMany(r => new[] { r.MaSoBHXH, r.SoDinhDanh, r.HoTen }))
            .Concat(["Nguyễn Văn An", "Số 12 Lê Lợi", "0912345678"])
            .Distinct(StringComparer.Ordinal).ToList();
        var evidence = (await EvidenceCommands.LoadAsync(fixture.Hub.HttpAddress, ClientCalls.DemoKey, null, withHeads: false, Ct)).Entries
            .Select(e => System.Text.Encoding.UTF8.GetString(e.CanonicalBytes()));
        List<string> printed;
        lock (fixture.Printed)
        {
            printed = [.. fixture.Printed];
        }

        var haystack = printed.Concat(fixture.Hub.Logs.Lines).Concat(evidence).ToList();
        haystack.ShouldContain(l => l.Contains("MappingAdminService/ShadowRun", StringComparison.Ordinal)); // the scan sees the runs
        var leaks = haystack
            .SelectMany(line => needles.Where(n => line.Contains(n, StringComparison.Ordinal)).Select(n => $"{n} in: {line[..Math.Min(line.Length, 300)]}"))
            .Take(10).ToList();
        leaks.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_candidate_path_outside_its_folder_is_refused_naming_the_field()
    {
        var admin = new MappingAdminService.MappingAdminServiceClient(fixture.Hub.Grpc.WithApiKey());
        var request = new ShadowRunRequest { Folder = "files" };
        request.Files.Add(new CandidateFile { Path = "../escape.yaml", Content = "id: x" });

        var e = await Should.ThrowAsync<RpcException>(admin.ShadowRunAsync(request, cancellationToken: Ct).ResponseAsync);

        e.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        e.Status.Detail.ShouldStartWith("files[0].path:");
    }

    [Fact]
    public void The_worked_example_in_docs_mappings_md_is_the_real_output()
    {
        var documented = DocsBlock("<!-- shadow run example: ShadowRunTests compares this with the real output -->");

        using var candidate = new MappingFolderCopy();
        candidate.Edit("emc.request.yaml", "version: 1", "version: 2");
        candidate.Edit("emc.request.yaml", "\"4\": \"2\"", "\"4\": \"4\"");
        var (exit, output, _) = fixture.Cli("mappings", "shadow", candidate.Files, "--hub", fixture.Hub.GrpcAddress.ToString());

        exit.ShouldBe(0);
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Normalize(output).ShouldBe(Normalize(documented));
    }

    /// <summary>The fenced block that follows <paramref name="marker"/> in docs/mappings.md.</summary>
    private static string DocsBlock(string marker)
    {
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "mappings.md")).ReplaceLineEndings("\n");
        var at = docs.IndexOf(marker, StringComparison.Ordinal);
        at.ShouldBeGreaterThan(0, marker);
        var start = docs.IndexOf("```text\n", at, StringComparison.Ordinal) + "```text\n".Length;
        return docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];
    }

    /// <summary>Run ids and digests differ between runs: compared as a placeholder.</summary>
    private static string Normalize(string text) => HexRun().Replace(text.ReplaceLineEndings("\n").Trim(), "…");

    [GeneratedRegex("[0-9a-f]{32,64}")]
    private static partial Regex HexRun();

    [GeneratedRegex("\"(TuThang|DenThang)\": \"([0-9]{2})/([0-9]{4})\"")]
    private static partial Regex MonthInSample();
}
