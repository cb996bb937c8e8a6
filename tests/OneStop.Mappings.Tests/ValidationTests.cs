using Shouldly;
using Xunit;
using static OneStop.Mappings.Tests.TestMappings;

namespace OneStop.Mappings.Tests;

public sealed class ValidationTests
{
    private const string Header = "id: population.reply\nversion: 1\n";
    private const string File = "population.reply.yaml";

    private static string[] Errors(string yaml, string fileName = File) =>
        [.. LoadErrors(yaml, fileName).Select(e => e.ToString())];

    [Fact]
    public void Missing_id_and_version_are_both_reported()
    {
        Errors("fields:\n  a: A\n").ShouldBe(
        [
            "population.reply.yaml: id: required key is missing",
            "population.reply.yaml: version: required key is missing",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Id_must_match_the_file_name()
    {
        Errors("id: population.reply\nversion: 1\nfields:\n  a: A\n", "business.reply.yaml")
            .ShouldBe(["business.reply.yaml: id: 'population.reply' does not match the file name (a file named business.reply.yaml must have id business.reply)"]);
    }

    [Fact]
    public void Id_must_name_system_and_direction()
    {
        Errors("id: population\nversion: 1\nfields:\n  a: A\n", "population.yaml")
            .ShouldBe(["population.yaml: id: 'population' must be <system>.<direction> in lower case, direction request or reply (e.g. population.reply)"]);
    }

    [Fact]
    public void Unknown_key_in_a_rule_is_named_with_a_suggestion()
    {
        Errors(Header + "tables:\n  gioi-tinh: { \"1\": NAM }\nfields:\n  gioi_tinh: { path: GioiTinh, tabel: gioi-tinh }\n")
            .ShouldBe(["population.reply.yaml: gioi_tinh: unknown key 'tabel' (did you mean 'table'?)"]);
    }

    [Fact]
    public void Rule_without_a_source_is_refused()
    {
        Errors(Header + "fields:\n  gioi_tinh: { required: true }\n")
            .ShouldBe(["population.reply.yaml: gioi_tinh: rule needs one of path, value, join, fields or each"]);
    }

    [Fact]
    public void Rule_with_two_sources_is_refused()
    {
        Errors(Header + "fields:\n  a: { path: A, value: x }\n")
            .ShouldBe(["population.reply.yaml: a: use only one of path, value or join, not path and value"]);
    }

    [Fact]
    public void Unknown_table_is_named()
    {
        Errors(Header + "tables:\n  gioi-tinh: { \"1\": NAM }\nfields:\n  gioi_tinh: { path: GioiTinh, table: gioi-tinhx }\n")
            .ShouldBe(["population.reply.yaml: gioi_tinh: table 'gioi-tinhx' is not defined"]);
    }

    [Fact]
    public void Bad_date_format_is_named()
    {
        Errors(Header + "fields:\n  ngay: { path: N, date: { from: yyyyMMddQ, to: yyyy-MM-dd } }\n")
            .ShouldBe(["population.reply.yaml: ngay: date format 'yyyyMMddQ' is not valid (use letters yyyy MM dd HH mm ss fff and separators, or iso)"]);
    }

    [Fact]
    public void Unknown_time_zone_is_named()
    {
        Errors(Header + "fields:\n  ngay: { path: N, date: { from: yyyyMMddHHmmss, to: iso, zone: Asia/Hanoi } }\n")
            .ShouldBe(["population.reply.yaml: ngay: time zone 'Asia/Hanoi' is not known (use an IANA name such as Asia/Ho_Chi_Minh)"]);
    }

    [Fact]
    public void Iso_without_a_zone_is_refused()
    {
        Errors(Header + "fields:\n  ngay: { path: N, date: { from: yyyyMMddHHmmss, to: iso } }\n")
            .ShouldBe(["population.reply.yaml: ngay: date: 'iso' needs 'zone' (the time zone of local times, e.g. Asia/Ho_Chi_Minh)"]);
    }

    [Fact]
    public void Unknown_type_is_named()
    {
        Errors(Header + "fields:\n  so: { path: N, type: integer }\n")
            .ShouldBe(["population.reply.yaml: so: type 'integer' is not known (string, int, number, bool)"]);
    }

    [Fact]
    public void Bad_path_is_named()
    {
        Errors(Header + "fields:\n  a: A..B\n  b: \"C[x]\"\n").ShouldBe(
        [
            "population.reply.yaml: a: path: path 'A..B' has an empty segment",
            "population.reply.yaml: b: path: path 'C[x]': index '[x]' is not a number",
        ]);
    }

    [Fact]
    public void Errors_in_nested_and_array_rules_name_the_full_field_path()
    {
        Errors(Header + """
            fields:
              thuong_tru:
                fields:
                  ma_tinh_thanh: { path: MaTinhThanh, tpye: string }
              qua_trinh:
                each: QuaTrinh
                fields:
                  tu_thang: { path: TuThang, date: { from: MM/yyyy } }
            """).ShouldBe(
        [
            "population.reply.yaml: thuong_tru.ma_tinh_thanh: unknown key 'tpye' (did you mean 'type'?)",
            "population.reply.yaml: qua_trinh.tu_thang: date: needs 'from' and 'to' (a format like yyyyMMdd, or iso)",
        ]);
    }

    [Fact]
    public void Every_error_of_a_file_is_collected()
    {
        var errors = Errors("""
            id: population.reply
            version: 1
            colour: blue
            root: { path: message, parse: yaml }
            tables:
              gioi-tinh: { "1": NAM }
            fields:
              a: { path: A, table: nope }
              b: { path: B, type: float }
              c: { each: C }
              d: { value: x, fallback: y }
            samples:
              - name: one
            """);

        errors.ShouldBe(
        [
            "population.reply.yaml: $: unknown key 'colour'",
            "population.reply.yaml: root.parse: must be one of xml, json",
            "population.reply.yaml: a: table 'nope' is not defined",
            "population.reply.yaml: b: type 'float' is not known (string, int, number, bool)",
            "population.reply.yaml: c: 'each' needs 'fields' (the fields of each item)",
            "population.reply.yaml: d: 'fallback' goes with 'table'",
            "population.reply.yaml: samples[0]: needs either 'expect' (the output; null for no record) or 'error' (text the mapping error contains)",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Rule_options_that_do_not_fit_nested_fields_are_refused()
    {
        Errors(Header + "fields:\n  cha: { path: Cha, type: string, fields: { a: A } }\n")
            .ShouldBe(["population.reply.yaml: cha: 'type' cannot be used with 'fields' (put it on the inner fields)"]);
    }

    [Fact]
    public void Required_with_default_is_refused()
    {
        Errors(Header + "fields:\n  a: { path: A, required: true, default: x }\n")
            .ShouldBe(["population.reply.yaml: a: 'required' and 'default' cannot be combined"]);
    }

    [Fact]
    public void When_needs_a_path_and_one_test()
    {
        Errors(Header + "fields:\n  a: { path: A, when: { path: B } }\n  b: { path: A, when: { equal: 1, path: B } }\n").ShouldBe(
        [
            "population.reply.yaml: a: when: needs exactly one of equals, in or exists",
            "population.reply.yaml: b: when: unknown key 'equal' (did you mean 'equals'?)",
            "population.reply.yaml: b: when: needs exactly one of equals, in or exists",
        ]);
    }

    [Fact]
    public void Split_needs_a_known_take()
    {
        Errors(Header + "fields:\n  ten: { path: HoVaTen, split: { separator: \" \", take: middle } }\n")
            .ShouldBe(["population.reply.yaml: ten: split: take 'middle' is not known (first, last, rest-after-first or an index from 0)"]);
    }

    [Fact]
    public void Yaml_syntax_error_names_line_and_column()
    {
        var error = LoadErrors(Header + "fields:\n  a: { path: A\n  b: B\n", File).ShouldHaveSingleItem();

        error.File.ShouldBe(File);
        error.FieldPath.ShouldBe("$");
        error.Rule.ShouldStartWith("YAML syntax error at line ");
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        Errors(Header + "fields:\n  a: A\n  a: B\n").ShouldHaveSingleItem().ShouldContain("Duplicate key");
    }

    [Fact]
    public void Missing_fields_and_wrong_types_come_from_the_schema()
    {
        Errors(Header + "root: { path: message, required: yes }\n").ShouldBe(
        [
            "population.reply.yaml: fields: required key is missing",
            "population.reply.yaml: root.required: must be true or false",
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_sample_whose_expectation_is_not_met_still_loads()
    {
        var m = MappingLoader.Parse(Header + "fields:\n  a: A\nsamples:\n  - name: wrong\n    input: { A: x }\n    expect: { a: y }\n", File);

        m.Samples.ShouldHaveSingleItem().Name.ShouldBe("wrong");
    }

    [Fact]
    public void Load_exception_message_lists_every_error()
    {
        var ex = Should.Throw<MappingLoadException>(() => MappingLoader.Parse("fields:\n  a: A\n", File));

        ex.Message.ShouldContain("2 mapping errors:");
        ex.Message.ShouldContain("population.reply.yaml: id: required key is missing");
        ex.Message.ShouldContain("population.reply.yaml: version: required key is missing");
    }
}
