using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

/// <summary>A mapping is checked against the JSON Schemas it names as source and target; every error names file, field path and rule.</summary>
public sealed class SchemaValidationTests : IDisposable
{
    // A dossier event as the source: status is a code 1..10 (enum), as in the canonical schema.
    private const string DossierEvent = """
        {
          "type": "object",
          "properties": {
            "trang_thai_ho_so": { "type": ["string", "integer"], "enum": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
            "ma_ho_so": { "type": "string" },
            "ngay_tiep_nhan": { "type": ["string", "null"], "format": "date-time" },
            "kenh": { "type": "integer" },
            "tai_lieu": { "type": "array", "items": { "type": "object", "properties": { "ten": { "type": "string" } } } },
            "chu": { "type": ["object", "null"], "properties": { "ho": { "type": "string" }, "ten": { "type": "string" } } }
          },
          "additionalProperties": false
        }
        """;

    // EMC's tracking message as the target: Status 0..4, CodeProfile required.
    private const string EmcTracking = """
        {
          "type": "object",
          "properties": {
            "CodeProfile": { "type": "string" },
            "Status": { "type": "integer", "enum": [0, 1, 2, 3, 4] },
            "FormsReception": { "type": "integer" },
            "Received": { "type": "string" },
            "Files": { "type": "array", "items": { "type": "object", "properties": { "Name": { "type": "string" } } } },
            "Owner": { "type": "string" }
          },
          "required": ["CodeProfile"],
          "additionalProperties": false
        }
        """;

    private const string Header = """
        id: emc.request
        version: 1
        source: ../schemas/dossier-event.schema.json
        target: ../schemas/emc-tracking.schema.json
        tables:
          dossier-status: { "1": 1, "2": 1, "3": 0, "4": 2, "5": 0, "6": 0, "7": 0, "8": 0, "9": 3, "10": 3 }

        """;

    private readonly TempFolder folder = new();

    public SchemaValidationTests()
    {
        folder.WriteSchema("dossier-event", DossierEvent);
        folder.WriteSchema("emc-tracking", EmcTracking);
    }

    public void Dispose() => folder.Dispose();

    private string[] Errors(string yaml)
    {
        var path = folder.WriteFile("emc.request.yaml", yaml);
        try
        {
            MappingLoader.Parse(yaml, path);
        }
        catch (MappingLoadException e)
        {
            return [.. e.Errors.Select(x => x.ToString())];
        }

        return [];
    }

    [Fact]
    public void A_mapping_that_fits_both_schemas_loads()
    {
        var path = folder.WriteFile("emc.request.yaml", Header + """
            fields:
              CodeProfile: { path: ma_ho_so, required: true }
              Status: { path: trang_thai_ho_so, table: dossier-status, fallback: 0 }
              Received: { path: ngay_tiep_nhan, date: { from: iso, to: yyyyMMddHHmmss, zone: Asia/Ho_Chi_Minh } }
              Files: { each: tai_lieu, fields: { Name: ten } }
              Owner: { join: [chu.ho, chu.ten] }
            """);

        var mapping = MappingLoader.Parse(File.ReadAllText(path), path);

        mapping.SourceSchema.ShouldBe("dossier-event");
        mapping.TargetSchema.ShouldBe("emc-tracking");
    }

    [Fact]
    public void A_source_code_without_a_table_entry_is_named_like_the_issue_says()
    {
        Errors(Header + """
            fields:
              CodeProfile: ma_ho_so
              Status: { path: trang_thai_ho_so, table: dossier-status }
            """).ShouldBe(["emc.request.yaml: Status: code 11 has no entry in table dossier-status"]);
    }

    [Fact]
    public void A_fallback_covers_codes_without_an_entry()
    {
        Errors(Header + """
            fields:
              CodeProfile: ma_ho_so
              Status: { path: trang_thai_ho_so, table: dossier-status, fallback: 0 }
            """).ShouldBeEmpty();
    }

    [Fact]
    public void A_table_value_the_target_does_not_allow_is_named()
    {
        Errors("""
            id: emc.request
            version: 1
            source: ../schemas/dossier-event.schema.json
            target: ../schemas/emc-tracking.schema.json
            tables:
              dossier-status: { "1": 1, "2": 1, "3": 0, "4": 2, "5": 0, "6": 0, "7": 0, "8": 0, "9": 3, "10": 5, "11": 0 }
            fields:
              CodeProfile: ma_ho_so
              Status: { path: trang_thai_ho_so, table: dossier-status }
            """).ShouldBe(["emc.request.yaml: Status: table dossier-status entry 10 gives 5, which the target schema emc-tracking does not allow (0, 1, 2, 3, 4)"]);
    }

    [Fact]
    public void A_path_the_source_schema_does_not_have_is_named_with_where_it_was_looked_for()
    {
        Errors(Header + """
            fields:
              CodeProfile: ma_ho_so_x
              Owner: { join: [chu.ho, chu.ten_dem] }
              Files: { each: tai_lieu, fields: { Name: ten_tep } }
            """).ShouldBe(
        [
            "emc.request.yaml: CodeProfile: path ma_ho_so_x: 'ma_ho_so_x' is not in the source schema dossier-event",
            "emc.request.yaml: Owner: join chu.ten_dem: 'ten_dem' is not in the source schema dossier-event under chu",
            "emc.request.yaml: Files.Name: path ten_tep: 'ten_tep' is not in the source schema dossier-event",
        ]);
    }

    [Fact]
    public void A_field_the_target_schema_does_not_have_is_named()
    {
        Errors(Header + """
            fields:
              CodeProfile: ma_ho_so
              Statuss: { path: trang_thai_ho_so, table: dossier-status, fallback: 0 }
              Files: { each: tai_lieu, fields: { Title: ten } }
            """).ShouldBe(
        [
            "emc.request.yaml: Statuss: 'Statuss' is not a field of the target schema emc-tracking",
            "emc.request.yaml: Files.Title: 'Title' is not a field of the target schema emc-tracking",
        ]);
    }

    [Fact]
    public void A_value_of_the_wrong_type_for_the_target_is_named()
    {
        Errors(Header + """
            fields:
              CodeProfile: ma_ho_so
              FormsReception: { path: kenh, type: string }
              Received: { path: kenh, type: int }
            """).ShouldBe(
        [
            "emc.request.yaml: FormsReception: gives text but the target schema emc-tracking wants an integer",
            "emc.request.yaml: Received: gives an integer but the target schema emc-tracking wants text",
        ]);
    }

    [Fact]
    public void A_field_the_target_requires_must_have_a_rule()
    {
        Errors(Header + """
            fields:
              Owner: { join: [chu.ho, chu.ten] }
            """).ShouldBe(["emc.request.yaml: $: the target schema emc-tracking requires 'CodeProfile', which no rule produces"]);
    }

    [Fact]
    public void A_list_written_where_the_target_wants_text_is_named()
    {
        Errors(Header + """
            fields:
              CodeProfile: ma_ho_so
              Owner: { each: tai_lieu, fields: { Name: ten } }
            """).ShouldBe(["emc.request.yaml: Owner: gives a list but the target schema emc-tracking wants text"]);
    }

    [Fact]
    public void A_missing_schema_file_is_named()
    {
        Errors("""
            id: emc.request
            version: 1
            source: ../schemas/nope.schema.json
            fields:
              CodeProfile: ma_ho_so
            """).ShouldBe(["emc.request.yaml: source: schema '../schemas/nope.schema.json': file not found"]);
    }

    [Fact]
    public void Paths_inside_xml_carried_in_a_json_string_are_checked_against_its_content_schema()
    {
        folder.WriteSchema("reply", """
            {
              "type": "object",
              "properties": {
                "message": {
                  "type": "string",
                  "contentMediaType": "application/xml",
                  "contentSchema": {
                    "type": "object",
                    "properties": { "Envelope": { "type": "object", "properties": { "Body": { "type": "object", "properties": {
                      "CongDan": { "anyOf": [ { "$ref": "#/definitions/CongDan" }, { "type": "array", "items": { "$ref": "#/definitions/CongDan" } } ] }
                    } } } } },
                    "definitions": { "CongDan": { "type": "object", "properties": { "HoVaTen": { "type": "string" } } } }
                  }
                }
              }
            }
            """);
        var yaml = """
            id: test.reply
            version: 1
            source: ../schemas/reply.schema.json
            root: { path: message, parse: xml, then: "Envelope.Body.CongDan[0]" }
            fields:
              ho_va_ten: HoVaTen
              gioi_tinh: GioiTinh
            """;
        var path = folder.WriteFile("test.reply.yaml", yaml);

        Should.Throw<MappingLoadException>(() => MappingLoader.Parse(yaml, path)).Errors.Select(e => e.ToString())
            .ShouldBe(["test.reply.yaml: gioi_tinh: path GioiTinh: 'GioiTinh' is not in the source schema reply"]);
    }

    [Fact]
    public void Encode_json_is_checked_against_what_the_target_text_holds()
    {
        // EMC's User: text holding JSON, described by contentSchema; Count is a number, so it cannot take text.
        folder.WriteSchema("emc-user", """
            {
              "type": "object",
              "properties": {
                "User": {
                  "type": "string",
                  "contentMediaType": "application/json",
                  "contentSchema": {
                    "type": "object",
                    "properties": { "ID_local": { "type": "string" }, "TYPE": { "type": "string", "enum": ["1", "2"] } },
                    "required": ["ID_local", "TYPE"],
                    "additionalProperties": false
                  }
                },
                "Count": { "type": "integer" }
              },
              "additionalProperties": false
            }
            """);
        const string Head = """
            id: emc.request
            version: 1
            source: ../schemas/dossier-event.schema.json
            target: ../schemas/emc-user.schema.json
            tables:
              user-type: { "1": "2", "2": "1", "3": "1", "4": "3", "5": "1", "6": "1", "7": "1", "8": "1", "9": "1", "10": "1", "11": "1" }

            """;

        Errors(Head + """
            fields:
              User: { encode: json, fields: { ID_local: ma_ho_so, TYPE: { path: trang_thai_ho_so, table: user-type, fallback: "1" } } }
            """).ShouldBe(["emc.request.yaml: User.TYPE: table user-type entry 4 gives 3, which the target schema emc-user does not allow (1, 2)"]);
        Errors(Head + """
            fields:
              User: { encode: json, fields: { ID: ma_ho_so } }
              Count: { encode: json, fields: { x: ma_ho_so } }
            """).ShouldBe([
            "emc.request.yaml: User.ID: 'ID' is not a field of the target schema emc-user",
            "emc.request.yaml: User: the target schema emc-user requires 'ID_local', which no rule produces",
            "emc.request.yaml: User: the target schema emc-user requires 'TYPE', which no rule produces",
            "emc.request.yaml: Count: gives text holding JSON (encode: json) but the target schema emc-user wants an integer",
        ]);
    }

    [Fact]
    public void Parsing_a_value_the_source_schema_says_is_not_a_string_is_refused()
    {
        Errors("""
            id: emc.request
            version: 1
            source: ../schemas/dossier-event.schema.json
            root: { path: kenh, parse: json }
            fields:
              a: b
            """).ShouldBe(["emc.request.yaml: root: parse: the value at kenh is an integer in the source schema dossier-event, not a string holding JSON"]);
    }

    [Fact]
    public void A_sample_whose_input_does_not_fit_the_source_schema_fails_naming_the_field()
    {
        var yaml = Header + """
            fields:
              CodeProfile: ma_ho_so
            samples:
              - name: status as a word
                input: { ma_ho_so: H56-1, trang_thai_ho_so: received }
                expect: { CodeProfile: H56-1 }
            """;
        var path = folder.WriteFile("emc.request.yaml", yaml);

        var result = SampleRunner.Run(MappingLoader.Parse(yaml, path)).ShouldHaveSingleItem();

        result.Passed.ShouldBeFalse();
        result.FieldPath.ShouldBe("input.trang_thai_ho_so");
        result.Failure.ShouldBe("input.trang_thai_ho_so: does not fit the source schema dossier-event: must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
        result.ToError("emc.request.yaml").ToString()
            .ShouldBe("emc.request.yaml: input.trang_thai_ho_so: sample 'status as a word': does not fit the source schema dossier-event: must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
    }

    [Fact]
    public void A_sample_may_leave_out_fields_the_schemas_require()
    {
        var yaml = Header + """
            fields:
              CodeProfile: ma_ho_so
              Owner: { join: [chu.ho, chu.ten] }
            samples:
              - name: no dossier code yet
                input: { chu: { ho: Nguyễn, ten: An } }
                expect: { Owner: Nguyễn An }
            """;
        var path = folder.WriteFile("emc.request.yaml", yaml);

        SampleRunner.Run(MappingLoader.Parse(yaml, path)).ShouldHaveSingleItem().Passed.ShouldBeTrue();
    }
}
