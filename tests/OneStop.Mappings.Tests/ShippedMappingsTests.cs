using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

public sealed partial class ShippedMappingsTests
{
    private static readonly Lazy<MappingCatalog> Catalog = new(() => MappingLoader.LoadFolder(TestMappings.ShippedFolder));

    private static readonly string[] LookupIds =
    [
        "population.request", "population.reply",
        "business.request", "business.reply",
        "insurance.request", "insurance.reply",
        "land.request", "land.reply",
    ];

    /// <summary>Every file in the shipped folder, so a new mapping's samples run without touching this test.</summary>
    public static TheoryData<string> ShippedIds() =>
        new(Directory.GetFiles(TestMappings.ShippedFolder, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal));

    [Fact]
    public void Shipped_folder_loads_every_file_without_errors()
    {
        var files = Directory.GetFiles(TestMappings.ShippedFolder, "*.yaml").Select(Path.GetFileName).Order().ToList();

        Catalog.Value.All.Select(m => m.Id + ".yaml").Order().ShouldBe(files);
        Catalog.Value.All.Select(m => m.Id).ShouldBeSubsetOf(ShippedIds().Select(row => row.Data));
        LookupIds.ShouldBeSubsetOf(Catalog.Value.All.Select(m => m.Id), "every lookup adapter's mappings ship with the hub");
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Shipped_mapping_samples_all_pass(string id)
    {
        var mapping = Catalog.Value.Get(id);

        var results = SampleRunner.Run(mapping);

        results.Count.ShouldBeGreaterThanOrEqualTo(2, $"{id} ships a full record and an edge case");
        results.Where(r => !r.Passed).Select(r => $"{r.SampleName}: {r.Failure}").ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Shipped_mapping_records_version_and_file(string id)
    {
        var mapping = Catalog.Value.Get(id);

        mapping.Version.ShouldNotBeNullOrWhiteSpace();
        mapping.VersionTag.ShouldBe($"{id}@{mapping.Version}");
        mapping.FilePath.ShouldBe(Path.Combine(TestMappings.ShippedFolder, $"{id}.yaml"));
        mapping.FileName.ShouldBe($"{id}.yaml");
        mapping.ContentHash.Length.ShouldBe(64);
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Shipped_mapping_names_its_source_and_target_schemas(string id)
    {
        var mapping = Catalog.Value.Get(id);

        mapping.SourceSchema.ShouldNotBeNull($"{id} names no source schema");
        mapping.TargetSchema.ShouldNotBeNull($"{id} names no target schema");
        var canonical = id.EndsWith(".reply", StringComparison.Ordinal) ? mapping.TargetSchema : mapping.SourceSchema;
        canonical.ShouldStartWith("canonical.", customMessage: $"{id}: the hub's side of a mapping is a canonical record");
    }

    [Fact]
    public void Shipped_folder_checks_clean_and_runs_every_sample()
    {
        var report = MappingLoader.CheckFolder(TestMappings.ShippedFolder);

        report.Errors.Select(e => e.ToString()).ShouldBeEmpty();
        report.IsValid.ShouldBeTrue();
        report.SamplesPassed.ShouldBe(Catalog.Value.All.Sum(m => m.Samples.Count));
    }

    [Fact]
    public void Example_folder_for_integrators_checks_clean_and_runs_every_sample()
    {
        // docs/mappings.md copies its examples from these files; the integration tests add them to a running hub.
        var report = MappingLoader.CheckFolder(Path.Combine(TestMappings.RepoRoot, "Mappings", "examples"));

        report.Errors.Select(e => e.ToString()).ShouldBeEmpty();
        report.Catalog!.Upstreams.Select(u => u.VersionTag).ShouldBe(["civil-status@1", "civil-status-soap@1"], ignoreOrder: true);
        report.SamplesPassed.ShouldBe(report.Catalog.All.Sum(m => m.Samples.Count));
    }

    [Fact]
    public void Population_request_sends_the_integration_codes_the_hub_adds_under_upstream()
    {
        // Regression: population.request@1 read ma_dvc and ma_tich_hop at the top level, where the adapter never
        // puts them, so MaDVC and MaTichHop were never sent. The source schema check now refuses such a path.
        var request = Catalog.Value.Get("population.request").Apply(JsonNode.Parse(
            """{"so_dinh_danh":"038085000123","ma_yeu_cau":"r1","upstream":{"ma_dvc":"LGSP-DEMO","ma_tich_hop":"LGSP-DEMO-DC"}}"""))!;

        request["MaDVC"]!.GetValue<string>().ShouldBe("LGSP-DEMO");
        request["MaTichHop"]!.GetValue<string>().ShouldBe("LGSP-DEMO-DC");
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Reply_samples_only_produce_field_names_of_the_lookup_proto(string id)
    {
        if (!id.EndsWith(".reply", StringComparison.Ordinal))
        {
            return;
        }

        var protoFields = ProtoFieldNames();
        foreach (var sample in Catalog.Value.Get(id).Samples)
        {
            foreach (var name in KeysOf(sample.Expect))
            {
                protoFields.ShouldContain(name, $"{id} sample '{sample.Name}' produces '{name}', which lookup.proto does not define");
            }
        }
    }

    [Fact]
    public void Documented_citizen_maps_to_canonical_CongDan()
    {
        var reply = new JsonObject
        {
            ["error_code"] = 0,
            ["message"] = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><CongdanCollection><CongDan>"
                + "<SoDinhDanh>038085000123</SoDinhDanh><HoVaTen>Nguyễn Văn An</HoVaTen><GioiTinh>1</GioiTinh>"
                + "<NgayThangNamSinh><Nam>1985</Nam><NgayThangNam>19850315</NgayThangNam></NgayThangNamSinh>"
                + "</CongDan></CongdanCollection></soap:Body></soap:Envelope>",
        };

        var citizen = Catalog.Value.Get("population.reply").Apply(reply)!.AsObject();

        citizen["so_dinh_danh"]!.GetValue<string>().ShouldBe("038085000123");
        citizen["ho_va_ten"]!.GetValue<string>().ShouldBe("Nguyễn Văn An");
        citizen["gioi_tinh"]!.GetValue<string>().ShouldBe("NAM");
        citizen["ngay_thang_nam_sinh"]!.GetValue<string>().ShouldBe("1985-03-15");
    }

    private static IEnumerable<string> KeysOf(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    yield return name;
                    foreach (var inner in KeysOf(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var inner in array.SelectMany(KeysOf))
                {
                    yield return inner;
                }

                break;
            default:
                break;
        }
    }

    private static HashSet<string> ProtoFieldNames()
    {
        var proto = File.ReadAllText(Path.Combine(TestMappings.RepoRoot, "Schemas", "OneStop.Schemas", "Protos", "onestop", "v1", "lookup.proto"));
        return [.. ProtoField().Matches(proto).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^\s*(?:repeated\s+)?[\w.]+\s+([a-z_][a-z0-9_]*)\s*=\s*\d+\s*(?:\[[^\]]*\])?\s*;", RegexOptions.Multiline)]
    private static partial Regex ProtoField();
}
