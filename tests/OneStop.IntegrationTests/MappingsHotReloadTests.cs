using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Mapping files change while the real hub runs: a valid change is swapped in (visible through the admin API and in
/// the replies that use it); an invalid one is refused with a report naming file, field path and rule, and the
/// previous version keeps serving.
/// </summary>
public sealed class MappingsHotReloadTests(MappingFolderHubFixture fixture) : IClassFixture<MappingFolderHubFixture>
{
    private readonly MappingAdminService.MappingAdminServiceClient _admin = new(fixture.Hub.Grpc);
    private readonly LookupService.LookupServiceClient _lookups = new(fixture.Hub.Grpc);

    private static Metadata Key => new() { { "x-api-key", "onestop-demo-key" } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ListMappingsReply> ListAsync() => _admin.ListMappingsAsync(new ListMappingsRequest(), Key, cancellationToken: Ct).ResponseAsync;

    private Task<GetReloadReportReply> ReportAsync() => _admin.GetReloadReportAsync(new GetReloadReportRequest(), Key, cancellationToken: Ct).ResponseAsync;

    [Fact]
    public async Task A_valid_change_is_swapped_in_and_an_invalid_one_is_refused_while_the_previous_version_serves()
    {
        var before = await ListAsync();
        before.Mappings.Single(m => m.Id == "land.reply").VersionTag.ShouldBe("land.reply@1");
        before.Mappings.Single(m => m.Id == "land.reply").SampleCount.ShouldBe(3);
        before.Mappings.Single(m => m.Id == "land.reply").TargetSchema.ShouldBe("canonical.thua-dat");

        // 1. A valid change: a new version of the land reply mapping.
        fixture.Folder.Edit("land.reply.yaml", "version: 1", "version: 2");

        var swapped = await Eventually.Until(ListAsync, r => r.Mappings.Single(m => m.Id == "land.reply").Version == "2", "land.reply@2 to be in force");
        swapped.Digest.ShouldNotBe(before.Digest);
        swapped.Mappings.Single(m => m.Id == "business.reply").LoadedAt.ShouldBe(before.Mappings.Single(m => m.Id == "business.reply").LoadedAt);
        var land = await _lookups.GetLandParcelAsync(
            new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 }, Key, cancellationToken: Ct);
        land.ThuaDat.SoThuTuThua.ShouldBe(345);
        land.Meta.MappingVersion.ShouldBe("land.reply@2");
        (await ReportAsync()).LastReload.Changed.ShouldContain("land.reply@2");

        // 2. An invalid change: the insurance reply drops a code the source schema says BHXH sends.
        fixture.Folder.Edit("insurance.reply.yaml", "version: 1", "version: 2");
        fixture.Folder.Edit("insurance.reply.yaml", "loai-hinh: { BB: BAT_BUOC, TN: TU_NGUYEN }", "loai-hinh: { BB: BAT_BUOC }");

        var report = await Eventually.Until(ReportAsync,
            r => r.LastRefused?.Errors.Any(e => e.File == "insurance.reply.yaml" && e.FieldPath == "qua_trinh_tham_gia.loai_hinh") == true,
            "the insurance.reply change to be refused");
        var problem = report.LastRefused.Errors.ShouldHaveSingleItem();
        problem.Rule.ShouldBe("code TN has no entry in table loai-hinh");
        report.LastRefused.Outcome.ShouldBe("refused");
        report.LastRefused.Changed.ShouldContain("insurance.reply.yaml");
        report.LastRefused.ServingDigest.ShouldBe(swapped.Digest);

        var after = await ListAsync();
        after.Digest.ShouldBe(swapped.Digest);
        after.Mappings.Single(m => m.Id == "insurance.reply").VersionTag.ShouldBe("insurance.reply@1");
        var insurance = await _lookups.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = "3820000123" }, Key, cancellationToken: Ct);
        insurance.SoBhxh.MaSoBhxh.ShouldBe("3820000123");
        insurance.Meta.MappingVersion.ShouldBe("insurance.reply@1");
        fixture.Hub.Logs.Lines.ShouldContain(l => l.Contains("Mapping change refused", StringComparison.Ordinal)
            && l.Contains("insurance.reply.yaml: qua_trinh_tham_gia.loai_hinh: code TN has no entry in table loai-hinh", StringComparison.Ordinal));

        // 3. Fixing the file lets the next change through.
        fixture.Folder.Edit("insurance.reply.yaml", "loai-hinh: { BB: BAT_BUOC }", "loai-hinh: { BB: BAT_BUOC, TN: TU_NGUYEN }");
        await Eventually.Until(ListAsync, r => r.Mappings.Single(m => m.Id == "insurance.reply").Version == "2", "insurance.reply@2 to be in force");
        (await _lookups.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = "3820000123" }, Key, cancellationToken: Ct))
            .Meta.MappingVersion.ShouldBe("insurance.reply@2");
    }

    [Fact]
    public async Task A_built_in_lookups_definition_is_listed_and_a_change_to_its_reply_conditions_takes_effect_while_the_hub_runs()
    {
        var unknownParcel = new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 999, SoThuTuThua = 99999 };
        var before = await ListAsync();
        foreach (var id in new[] { "population", "business", "insurance", "land" })
        {
            before.Upstreams.ShouldContain(u => u.Id == id && u.File == $"upstreams/{id}.yaml" && u.ReplyMapping == $"{id}.reply");
        }

        (await Should.ThrowAsync<RpcException>(_lookups.GetLandParcelAsync(unknownParcel, Key, cancellationToken: Ct).ResponseAsync))
            .StatusCode.ShouldBe(StatusCode.NotFound);

        // Without not_found_when, the land database's 404 reply is what success_when makes of it: a refusal.
        // (One write per change: the hub must never see the new version with the old conditions.)
        var file = Path.Combine(fixture.Folder.Files, "upstreams", "land.yaml");
        var shipped = await File.ReadAllTextAsync(file, Ct);
        const string notFoundWhen = "not_found_when: { path: status.code, equals: \"404\" }\n";
        shipped.ShouldContain(notFoundWhen);
        fixture.Folder.Write("upstreams/land.yaml", shipped.Replace("version: 1", "version: 2", StringComparison.Ordinal).Replace(notFoundWhen, "", StringComparison.Ordinal));
        await Eventually.Until(ListAsync, r => r.Upstreams.Single(u => u.Id == "land").Version == "2", "land@2 to be in force");

        var refused = await Should.ThrowAsync<RpcException>(_lookups.GetLandParcelAsync(unknownParcel, Key, cancellationToken: Ct).ResponseAsync);
        refused.StatusCode.ShouldBe(StatusCode.FailedPrecondition);
        refused.Status.Detail.ShouldBe("upstream land rejected the request: status code 404: Không tìm thấy thửa đất");

        fixture.Folder.Write("upstreams/land.yaml", shipped.Replace("version: 1", "version: 3", StringComparison.Ordinal));
        await Eventually.Until(ListAsync, r => r.Upstreams.Single(u => u.Id == "land").Version == "3", "land@3 to be in force");
        (await Should.ThrowAsync<RpcException>(_lookups.GetLandParcelAsync(unknownParcel, Key, cancellationToken: Ct).ResponseAsync))
            .StatusCode.ShouldBe(StatusCode.NotFound);
    }

    [Fact]
    public async Task Reload_on_demand_of_an_unchanged_folder_changes_nothing()
    {
        var before = await ListAsync();

        var report = await _admin.ReloadMappingsAsync(new ReloadMappingsRequest(), Key, cancellationToken: Ct);

        report.Errors.ShouldBeEmpty();
        (await ListAsync()).Digest.ShouldBe(report.ServingDigest);
        report.Outcome.ShouldBeOneOf("unchanged", "swapped");
        before.Folder.ShouldBe(fixture.Folder.Files);
    }
}
