using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Hub.Internal;
using OneStop.Hub.Mappings;
using Shouldly;

namespace OneStop.Hub.Tests;

/// <summary>The hub's mapping source over a copy of the shipped folder: swaps valid changes, refuses others, records both.</summary>
public sealed class ReloadingMappingSourceTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "onestop-reload-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingEvidence evidence = new();

    public ReloadingMappingSourceTests()
    {
        var repo = RepoRoot();
        foreach (var folder in new[] { "files", "schemas" })
        {
            var source = Path.Combine(repo, "Mappings", folder);
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, folder, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }

    private string Files => Path.Combine(root, "files");

    public void Dispose() => Directory.Delete(root, recursive: true);

    private ReloadingMappingSource Start(params IMappingCatalogCheck[] checks) => new(
        Options.Create(new MappingsOptions { Path = Files, Watch = false }),
        checks,
        evidence,
        TimeProvider.System,
        NullLogger<ReloadingMappingSource>.Instance,
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private void Edit(string file, string from, string to)
    {
        var path = Path.Combine(Files, file);
        var text = File.ReadAllText(path);
        text.ShouldContain(from);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_valid_change_is_swapped_in_and_recorded()
    {
        using var source = Start();
        var before = source.Status.Mappings.Single(m => m.Id == "land.reply");
        var untouched = source.Status.Mappings.Single(m => m.Id == "business.reply");
        Edit("land.reply.yaml", "version: 1", "version: 2");

        var report = await source.ReloadNowAsync(TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(MappingReloadReport.Swapped);
        report.Changed.ShouldBe(["land.reply@2"]);
        source.Current.Get("land.reply").VersionTag.ShouldBe("land.reply@2");
        var after = source.Status;
        after.Mappings.Single(m => m.Id == "land.reply").LoadedAt.ShouldBeGreaterThanOrEqualTo(before.LoadedAt);
        after.Mappings.Single(m => m.Id == "business.reply").LoadedAt.ShouldBe(untouched.LoadedAt, "an unchanged file keeps the time its version came in");
        var record = evidence.Records.ShouldHaveSingleItem();
        record.Operation.ShouldBe("Mappings/Swap");
        record.Outcome.ShouldBe("ok");
        record.Client.ShouldBe("hub");
        record.MappingVersion.ShouldBe("land.reply@2");
        record.RequestDigest.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unchanged_folder_swaps_nothing_and_records_nothing()
    {
        using var source = Start();
        var digest = source.Status.Digest;

        var report = await source.ReloadNowAsync(TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(MappingReloadReport.Unchanged);
        source.Status.Digest.ShouldBe(digest);
        evidence.Records.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_invalid_change_is_refused_and_the_previous_version_keeps_serving()
    {
        using var source = Start();
        Edit("insurance.reply.yaml", "version: 1", "version: 2");
        Edit("insurance.reply.yaml", "loai-hinh: { BB: BAT_BUOC, TN: TU_NGUYEN }", "loai-hinh: { BB: BAT_BUOC }");

        var report = await source.ReloadNowAsync(TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(MappingReloadReport.Refused);
        report.Errors.Select(e => e.ToString()).ShouldBe(["insurance.reply.yaml: qua_trinh_tham_gia.loai_hinh: code TN has no entry in table loai-hinh"]);
        report.Changed.ShouldBe(["insurance.reply.yaml"]);
        source.LastRefused.ShouldBe(report);
        source.Current.Get("insurance.reply").VersionTag.ShouldBe("insurance.reply@1");
        var record = evidence.Records.ShouldHaveSingleItem();
        record.Operation.ShouldBe("Mappings/Swap");
        record.Outcome.ShouldBe("refused");
    }

    [Fact]
    public async Task A_change_whose_sample_fails_is_refused_naming_the_sample()
    {
        using var source = Start();
        Edit("land.reply.yaml", "dien_tich: { path: DienTich, type: number }", "dien_tich: { path: DienTich, type: int }");

        var report = await source.ReloadNowAsync(TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(MappingReloadReport.Refused);
        report.SamplesFailed.ShouldBeGreaterThan(0);
        report.Errors.ShouldContain(e => e.File == "land.reply.yaml" && e.FieldPath == "dien_tich" && e.Rule.StartsWith("sample 'documented parcel with its certificate': threw:", StringComparison.Ordinal));
        source.Current.Get("land.reply").VersionTag.ShouldBe("land.reply@1");
    }

    [Fact]
    public async Task Removing_a_mapping_a_built_in_lookup_needs_is_refused()
    {
        using var source = Start();
        File.Delete(Path.Combine(Files, "land.reply.yaml"));

        var report = await source.ReloadNowAsync(TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(MappingReloadReport.Refused);
        report.Errors.Select(e => e.ToString()).ShouldBe(["upstreams/land.yaml: reply: no mapping 'land.reply' in the folder (expected file land.reply.yaml)"]);
        report.Changed.ShouldBe(["-land.reply.yaml"]);
        source.Current.TryGet("land.reply", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_later_valid_change_is_swapped_after_a_refused_one()
    {
        using var source = Start();
        Edit("business.reply.yaml", "version: 1", "version: ");
        (await source.ReloadNowAsync(TestContext.Current.CancellationToken)).Outcome.ShouldBe(MappingReloadReport.Refused);

        Edit("business.reply.yaml", "version: ", "version: 3");
        var report = await source.ReloadNowAsync(TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(MappingReloadReport.Swapped);
        source.Current.Get("business.reply").Version.ShouldBe("3");
        source.LastRefused!.Outcome.ShouldBe(MappingReloadReport.Refused);
        evidence.Records.Select(r => r.Outcome).ShouldBe(["refused", "ok"]);
    }

    [Fact]
    public void An_invalid_folder_stops_the_start_listing_every_error()
    {
        Edit("population.reply.yaml", "table: gioi-tinh", "table: gioi-tinhx");

        var e = Should.Throw<InvalidOperationException>(() => Start());

        e.Message.ShouldContain("Mappings:Path");
        e.Message.ShouldContain("population.reply.yaml: gioi_tinh: table 'gioi-tinhx' is not defined");
    }

    [Fact]
    public async Task Start_records_the_versions_in_force()
    {
        using var source = Start();

        await source.StartAsync(TestContext.Current.CancellationToken);
        await source.StopAsync(TestContext.Current.CancellationToken);

        var record = evidence.Records.ShouldHaveSingleItem();
        record.Operation.ShouldBe("Mappings/Swap");
        record.MappingVersion.ShouldNotBeNull().ShouldContain("population.request@2");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneStop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("OneStop.sln not found");
    }

    private sealed class RecordingEvidence : IEvidenceRecorder
    {
        private readonly List<ExchangeRecord> records = [];

        public IReadOnlyList<ExchangeRecord> Records
        {
            get
            {
                lock (records)
                {
                    return [.. records];
                }
            }
        }

        public ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
        {
            lock (records)
            {
                records.Add(record);
            }

            return ValueTask.CompletedTask;
        }
    }
}
