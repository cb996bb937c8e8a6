using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

public sealed class SampleRunnerTests
{
    private static IReadOnlyList<SampleResult> RunSamples(string samples) =>
        SampleRunner.Run(MappingLoader.Parse($"""
            id: test.reply
            version: 1
            root: {"{"} path: data {"}"}
            tables:
              gioi-tinh: {"{"} "1": NAM {"}"}
            fields:
              ho_va_ten: HoVaTen
              gioi_tinh: {"{"} path: GioiTinh, table: gioi-tinh {"}"}
              dia_chi:
                path: DiaChi
                fields: {"{"} ma_tinh_thanh: MaTinhThanh {"}"}
              ds: {"{"} each: Ds, fields: {"{"} ma: Ma {"}"} {"}"}
            samples:
            {samples}
            """, "test.reply.yaml"));

    [Fact]
    public void Matching_sample_passes()
    {
        var result = RunSamples("""
              - name: ok
                input: { data: { HoVaTen: An, GioiTinh: "1" } }
                expect: { gioi_tinh: NAM, ho_va_ten: An }
            """).ShouldHaveSingleItem();

        result.ShouldBe(new SampleResult("test.reply", "ok", true, null));
    }

    [Fact]
    public void Failure_names_the_first_differing_field_path()
    {
        var result = RunSamples("""
              - name: wrong province
                input: { data: { HoVaTen: An, DiaChi: { MaTinhThanh: "38" } } }
                expect: { ho_va_ten: An, dia_chi: { ma_tinh_thanh: "79" } }
            """).ShouldHaveSingleItem();

        result.Passed.ShouldBeFalse();
        result.Failure.ShouldBe("dia_chi.ma_tinh_thanh: expected \"79\", got \"38\"");
    }

    [Fact]
    public void Failure_names_missing_unexpected_and_array_item_fields()
    {
        var results = RunSamples("""
              - name: missing
                input: { data: { HoVaTen: An } }
                expect: { ho_va_ten: An, gioi_tinh: NAM }
              - name: unexpected
                input: { data: { HoVaTen: An, GioiTinh: "1" } }
                expect: { ho_va_ten: An }
              - name: item
                input: { data: { Ds: [ { Ma: a }, { Ma: b } ] } }
                expect: { ds: [ { ma: a }, { ma: c } ] }
              - name: count
                input: { data: { Ds: [ { Ma: a } ] } }
                expect: { ds: [ { ma: a }, { ma: b } ] }
            """);

        results.Select(r => r.Failure).ShouldBe(
        [
            "gioi_tinh: missing (expected \"NAM\")",
            "gioi_tinh: not expected, got \"NAM\"",
            "ds[1].ma: expected \"c\", got \"b\"",
            "ds: expected 2 items, got 1",
        ]);
    }

    [Fact]
    public void Expected_null_and_got_a_record_is_a_failure()
    {
        var results = RunSamples("""
              - name: not found
                input: { data: null }
                expect: null
              - name: should be empty
                input: { data: { HoVaTen: An } }
                expect: null
            """);

        results[0].Passed.ShouldBeTrue();
        results[1].Failure.ShouldBe("$: expected null, got {\"ho_va_ten\":\"An\"}");
    }

    [Fact]
    public void Mapping_error_is_reported_as_the_failure_unless_expected()
    {
        var results = RunSamples("""
              - name: unexpected error
                input: { data: { GioiTinh: "7" } }
                expect: {}
              - name: expected error
                input: { data: { GioiTinh: "7" } }
                error: code 7 has no entry in table gioi-tinh
              - name: expected error that does not come
                input: { data: { GioiTinh: "1" } }
                error: code 7
            """);

        results[0].Failure.ShouldBe("threw: test.reply: gioi_tinh: code 7 has no entry in table gioi-tinh");
        results[1].Passed.ShouldBeTrue();
        results[2].Failure.ShouldBe("expected an error containing 'code 7', got {\"gioi_tinh\":\"NAM\"}");
    }
}
