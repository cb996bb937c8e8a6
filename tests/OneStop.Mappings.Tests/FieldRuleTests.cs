using System.Text.Json.Nodes;
using Shouldly;
using Xunit;
using static OneStop.Mappings.Tests.TestMappings;

namespace OneStop.Mappings.Tests;

public sealed class FieldRuleTests
{
    [Fact]
    public void Shorthand_path_copies_the_value()
    {
        var m = Map("fields:\n  so_dinh_danh: SoDinhDanh\n");

        Run(m, """{"SoDinhDanh":"038085000123"}""").ShouldBe("""{"so_dinh_danh":"038085000123"}""");
    }

    [Fact]
    public void Nested_paths_and_indexes_walk_the_source()
    {
        var m = Map("""
            fields:
              nam: NgayThangNamSinh.Nam
              dau_tien: Items[0].Ten
              thu_hai: Items[1].Ten
              qua_xa: Items[5].Ten
              ca_nhom: "$"
            """);

        Run(m, """{"NgayThangNamSinh":{"Nam":"1985"},"Items":[{"Ten":"a"},{"Ten":"b"}]}""")
            .ShouldBe("""{"nam":"1985","dau_tien":"a","thu_hai":"b","ca_nhom":{"NgayThangNamSinh":{"Nam":"1985"},"Items":[{"Ten":"a"},{"Ten":"b"}]}}""");
    }

    [Fact]
    public void Index_zero_on_a_single_object_reads_that_object()
    {
        // XML gives one repeated element as an object, two as an array: [0] reads the first either way.
        var m = Map("fields:\n  ten: Items[0].Ten\n");

        Run(m, """{"Items":{"Ten":"only"}}""").ShouldBe("""{"ten":"only"}""");
    }

    [Fact]
    public void Missing_null_and_empty_values_are_omitted_never_null()
    {
        var m = Map("fields:\n  a: A\n  b: B\n  c: C\n  d: D\n");

        Run(m, """{"B":null,"C":"","D":"x"}""").ShouldBe("""{"d":"x"}""");
    }

    [Fact]
    public void Output_keeps_rule_order_not_source_order()
    {
        var m = Map("fields:\n  z: Z\n  a: A\n  m: M\n");

        var output = m.Apply(Json("""{"A":1,"M":2,"Z":3}"""))!.AsObject();

        output.Select(p => p.Key).ShouldBe(["z", "a", "m"]);
    }

    [Fact]
    public void Json_numbers_and_bools_pass_through_unchanged()
    {
        var m = Map("fields:\n  n: N\n  f: F\n  b: B\n");

        Run(m, """{"N":345,"F":152.40,"B":false}""").ShouldBe("""{"n":345,"f":152.40,"b":false}""");
    }

    [Fact]
    public void Required_value_missing_throws_naming_mapping_field_and_source_path()
    {
        var m = Map("fields:\n  ho_va_ten: { path: HoVaTen, required: true }\n", "population.reply");

        var ex = Should.Throw<MappingException>(() => m.Apply(Json("""{"SoDinhDanh":"038085000123"}""")));

        ex.Message.ShouldBe("population.reply: ho_va_ten: required value missing at HoVaTen");
        ex.MappingId.ShouldBe("population.reply");
        ex.FieldPath.ShouldBe("ho_va_ten");
        ex.Rule.ShouldBe("required value missing at HoVaTen");
    }

    [Fact]
    public void Default_is_used_only_when_the_value_is_absent()
    {
        var m = Map("fields:\n  quoc_tich: { path: QuocTich, default: VN }\n");

        Run(m, "{}").ShouldBe("""{"quoc_tich":"VN"}""");
        Run(m, """{"QuocTich":"LA"}""").ShouldBe("""{"quoc_tich":"LA"}""");
    }

    [Fact]
    public void Value_is_a_constant()
    {
        var m = Map("fields:\n  nguon: { value: population }\n  so: { value: 7 }\n");

        Run(m, "{}").ShouldBe("""{"nguon":"population","so":7}""");
        Run(m, "{}").ShouldBe("""{"nguon":"population","so":7}""", "constants are copied, not moved, into each output");
    }

    [Fact]
    public void Join_skips_empty_parts()
    {
        var m = Map("""
            fields:
              ho_ten: { join: [Ho, Dem, Ten], separator: " " }
              ma: { join: [A, B], separator: "-" }
            """);

        Run(m, """{"Ho":"Nguyễn","Dem":"","Ten":"An","A":"H56","B":14}""").ShouldBe("""{"ho_ten":"Nguyễn An","ma":"H56-14"}""");
        Run(m, """{"Dem":" "}""").ShouldBe("{}");
    }

    [Theory]
    [InlineData("first", "Nguyễn")]
    [InlineData("last", "An")]
    [InlineData("rest-after-first", "Văn An")]
    [InlineData("1", "Văn")]
    public void Split_takes_the_chosen_part(string take, string expected)
    {
        var m = Map($"fields:\n  ten: {{ path: HoVaTen, split: {{ separator: \" \", take: {take} }} }}\n");

        m.Apply(Json("""{"HoVaTen":"Nguyễn  Văn An"}"""))!["ten"]!.GetValue<string>().ShouldBe(expected);
    }

    [Fact]
    public void Split_past_the_last_part_is_absent()
    {
        var m = Map("fields:\n  ten: { path: HoVaTen, split: { separator: \" \", take: 5 } }\n");

        Run(m, """{"HoVaTen":"Nguyễn An"}""").ShouldBe("{}");
    }

    [Fact]
    public void Table_maps_codes_whether_text_or_number()
    {
        var m = Map("""
            tables:
              gioi-tinh: { "1": NAM, "2": NU }
            fields:
              gioi_tinh: { path: GioiTinh, table: gioi-tinh }
            """);

        Run(m, """{"GioiTinh":"2"}""").ShouldBe("""{"gioi_tinh":"NU"}""");
        Run(m, """{"GioiTinh":1}""").ShouldBe("""{"gioi_tinh":"NAM"}""");
    }

    [Fact]
    public void Unknown_code_throws_naming_code_and_table()
    {
        var m = Map("""
            tables:
              gioi-tinh: { "1": NAM, "2": NU }
            fields:
              gioi_tinh: { path: GioiTinh, table: gioi-tinh }
            """, "population.reply");

        var ex = Should.Throw<MappingException>(() => m.Apply(Json("""{"GioiTinh":"7"}""")));

        ex.Message.ShouldBe("population.reply: gioi_tinh: code 7 has no entry in table gioi-tinh");
    }

    [Fact]
    public void Unknown_code_uses_the_fallback_when_given()
    {
        var m = Map("""
            tables:
              trang-thai: { "1": 1, "2": 1, "4": 2, "9": 3, "10": 3 }
            fields:
              Status: { path: TrangThaiHoSo, table: trang-thai, fallback: 0 }
            """, "emc.request");

        Run(m, """{"TrangThaiHoSo":"9"}""").ShouldBe("""{"Status":3}""");
        Run(m, """{"TrangThaiHoSo":"5"}""").ShouldBe("""{"Status":0}""");
    }

    [Theory]
    [InlineData("string", "345", "\"345\"")]
    [InlineData("string", "true", "\"true\"")]
    [InlineData("int", "\"345\"", "345")]
    [InlineData("int", "12.0", "12")]
    [InlineData("number", "\"152.4\"", "152.4")]
    [InlineData("number", "152.4", "152.4")]
    [InlineData("bool", "\"true\"", "true")]
    [InlineData("bool", "\"0\"", "false")]
    [InlineData("bool", "1", "true")]
    public void Type_converts_the_value(string type, string input, string expected)
    {
        var m = Map($"fields:\n  x: {{ path: X, type: {type} }}\n");

        Run(m, $$"""{"X":{{input}}}""").ShouldBe($$"""{"x":{{expected}}}""");
    }

    [Theory]
    [InlineData("int", "\"12a\"", "value is not an int")]
    [InlineData("int", "12.5", "value is not an int")]
    [InlineData("number", "\"abc\"", "value is not a number")]
    [InlineData("bool", "\"maybe\"", "value is not a bool")]
    [InlineData("string", "{\"a\":1}", "value is not a scalar and cannot be converted to string")]
    public void Type_conversion_failure_throws_without_the_value_in_the_message(string type, string input, string rule)
    {
        var m = Map($"fields:\n  x: {{ path: X, type: {type} }}\n");

        var ex = Should.Throw<MappingException>(() => m.Apply(Json($$"""{"X":{{input}}}""")));

        ex.FieldPath.ShouldBe("x");
        ex.Rule.ShouldBe(rule);
        ex.OffendingValue.ShouldBe(input);
    }

    [Fact]
    public void When_equals_produces_the_field_only_when_the_condition_holds()
    {
        var m = Map("fields:\n  ghi_chu: { path: A, when: { path: B, equals: \"1\" } }\n");

        Run(m, """{"A":"x","B":"1"}""").ShouldBe("""{"ghi_chu":"x"}""");
        Run(m, """{"A":"x","B":1}""").ShouldBe("""{"ghi_chu":"x"}""", "codes compare by text");
        Run(m, """{"A":"x","B":"2"}""").ShouldBe("{}");
        Run(m, """{"A":"x"}""").ShouldBe("{}");
    }

    [Fact]
    public void When_in_and_exists_test_membership_and_presence()
    {
        var m = Map("""
            fields:
              ket_qua: { path: A, when: { path: TrangThai, in: ["9", "10"] } }
              buu_chinh: { value: true, when: { path: DiaChiNhan, exists: true } }
              tai_quay: { value: true, when: { path: DiaChiNhan, exists: false } }
            """);

        Run(m, """{"A":"x","TrangThai":"10","DiaChiNhan":"Số 1"}""").ShouldBe("""{"ket_qua":"x","buu_chinh":true}""");
        Run(m, """{"A":"x","TrangThai":"4","DiaChiNhan":""}""").ShouldBe("""{"tai_quay":true}""");
    }

    [Fact]
    public void When_that_fails_skips_required()
    {
        var m = Map("fields:\n  x: { path: A, required: true, when: { path: B, exists: true } }\n");

        Run(m, "{}").ShouldBe("{}");
    }

    [Fact]
    public void Nested_fields_read_the_same_scope_and_vanish_when_all_inner_fields_are_absent()
    {
        var m = Map("""
            fields:
              thuong_tru:
                fields:
                  ma_tinh_thanh: ThuongTru.MaTinhThanh
                  chi_tiet: ThuongTru.ChiTiet
            """);

        Run(m, """{"ThuongTru":{"MaTinhThanh":"38"}}""").ShouldBe("""{"thuong_tru":{"ma_tinh_thanh":"38"}}""");
        Run(m, """{"ThuongTru":{}}""").ShouldBe("{}");
    }

    [Fact]
    public void Nested_fields_with_a_path_read_inside_that_object()
    {
        var m = Map("""
            fields:
              cha:
                path: Cha
                fields: { ho_va_ten: HoVaTen, so_dinh_danh: SoDinhDanh }
            """);

        Run(m, """{"Cha":{"HoVaTen":"Nguyễn Văn Bình","SoDinhDanh":"038055000456"}}""")
            .ShouldBe("""{"cha":{"ho_va_ten":"Nguyễn Văn Bình","so_dinh_danh":"038055000456"}}""");
        Run(m, "{}").ShouldBe("{}");
    }

    [Fact]
    public void Required_nested_object_missing_throws()
    {
        var m = Map("fields:\n  cha: { path: Cha, required: true, fields: { ho_va_ten: HoVaTen } }\n");

        Should.Throw<MappingException>(() => m.Apply(Json("{}"))).Message.ShouldBe("test.reply: cha: required value missing at Cha");
    }

    [Fact]
    public void Each_maps_every_item_of_an_array()
    {
        var m = Map("""
            fields:
              qua_trinh_tham_gia:
                each: QuaTrinhThamGia
                fields:
                  tu_thang: { path: TuThang, date: { from: MM/yyyy, to: yyyy-MM } }
                  ten_don_vi: TenDonVi
            """);

        Run(m, """{"QuaTrinhThamGia":[{"TuThang":"01/2010","TenDonVi":"A"},{"TuThang":"01/2020"}]}""")
            .ShouldBe("""{"qua_trinh_tham_gia":[{"tu_thang":"2010-01","ten_don_vi":"A"},{"tu_thang":"2020-01"}]}""");
    }

    [Fact]
    public void Each_treats_a_single_object_as_one_item_and_omits_empty_lists()
    {
        var m = Map("fields:\n  ds: { each: Item, fields: { ten: Ten } }\n");

        Run(m, """{"Item":{"Ten":"a"}}""").ShouldBe("""{"ds":[{"ten":"a"}]}""");
        Run(m, """{"Item":[]}""").ShouldBe("{}");
        Run(m, """{"Item":[{},null]}""").ShouldBe("{}");
        Run(m, "{}").ShouldBe("{}");
    }

    [Fact]
    public void Error_inside_each_names_the_item_index()
    {
        var m = Map("""
            fields:
              ds:
                each: Items
                fields:
                  con:
                    each: Con
                    fields: { ngay: { path: Ngay, date: { from: dd/MM/yyyy, to: yyyy-MM-dd } } }
            """);

        var ex = Should.Throw<MappingException>(() => m.Apply(Json("""{"Items":[{"Con":[]},{"Con":[{"Ngay":"01/01/2020"},{"Ngay":"32/01/2020"}]}]}""")));

        ex.FieldPath.ShouldBe("ds[1].con[1].ngay");
        ex.Rule.ShouldBe("value is not a date in format dd/MM/yyyy");
        ex.OffendingValue.ShouldBe("32/01/2020");
    }

    [Fact]
    public void Apply_leaves_the_source_untouched_and_outputs_are_independent()
    {
        var m = Map("fields:\n  a: A\n  o: O\n  ds: { each: L, fields: { x: X } }\n");
        var source = Json("""{"A":"1","O":{"k":[1,2]},"L":[{"X":true}]}""");
        var before = source!.ToJsonString();

        var first = m.Apply(source)!;
        var second = m.Apply(source)!;
        var parent = new JsonObject { ["first"] = first };

        source.ToJsonString().ShouldBe(before);
        JsonNode.DeepEquals(first, second).ShouldBeTrue();
        parent.ToJsonString().ShouldContain("\"k\":[1,2]");
    }

    [Fact]
    public void Request_mapping_turns_canonical_names_into_upstream_names()
    {
        var m = Map("""
            fields:
              MaDonVi: context.ma_don_vi
              SoDinhDanh: { path: so_dinh_danh, default: "" }
              SoCMND: { path: so_cmnd, default: "" }
            """, "population.request");

        Run(m, """{"so_dinh_danh":"038085000123","context":{"ma_don_vi":"000.00.01.H56"}}""")
            .ShouldBe("""{"MaDonVi":"000.00.01.H56","SoDinhDanh":"038085000123","SoCMND":""}""");
    }

    [Fact]
    public void Encode_json_writes_a_nested_object_as_a_JSON_string()
    {
        // EMC's TrackingMCDT carries User as text holding JSON.
        var m = Map("""
            fields:
              User:
                encode: json
                when: { path: tai_khoan, exists: true }
                fields: { ID_local: so, TYPE: { value: "2" }, LOCATION: tinh }
              Ds: { each: L, encode: json, fields: { x: X } }
            """, "emc.request");

        Run(m, """{"tai_khoan":"VNeID","so":"038085000123","tinh":"38","L":[{"X":"Hà"}]}""")
            .ShouldBe("""{"User":"{\"ID_local\":\"038085000123\",\"TYPE\":\"2\",\"LOCATION\":\"38\"}","Ds":"[{\"x\":\"Hà\"}]"}""");
        Run(m, """{"so":"038085000123"}""").ShouldBe("{}");
    }

    [Fact]
    public void Encode_is_only_for_objects_and_lists_and_only_json()
    {
        var errors = LoadErrors("id: test.reply\nversion: 1\nfields:\n  a: { path: A, encode: json }\n  b: { encode: xml, fields: { x: X } }\n")
            .Select(e => e.ToString()).ToList();

        errors.ShouldBe(
        [
            "test.reply.yaml: a: 'encode' goes with 'fields' (it writes the built object or list as a JSON string)",
            "test.reply.yaml: b: encode: 'xml' is not known (json)",
        ], ignoreOrder: true);
    }
}
