using System.Text.Json.Nodes;
using System.Xml;
using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

public sealed class FolderAndUpstreamTests : IDisposable
{
    private const string Request = """
        id: civil-status.request
        version: 1
        fields:
          soDangKy: { path: so_dang_ky, required: true }
        samples:
          - name: by registration number
            input: { so_dang_ky: "12/2026" }
            expect: { soDangKy: "12/2026" }
        """;

    private const string Reply = """
        id: civil-status.reply
        version: 3
        root: { path: data }
        fields:
          ho_va_ten: { join: [hoTen.ho, hoTen.chuDem, hoTen.ten] }
        samples:
          - name: a birth
            input: { errorCode: "00", data: { hoTen: { ho: Nguyễn, chuDem: Văn, ten: Bảo } } }
            expect: { ho_va_ten: Nguyễn Văn Bảo }
        """;

    private const string RestUpstream = """
        id: civil-status
        version: 1
        description: Provincial civil-status registry
        protocol: rest
        method: POST
        base_url: http://127.0.0.1:5095/
        endpoint: /api/hotich/khaisinh
        auth: { type: client-credentials, client_id: onestop-hub }
        success_when: { path: errorCode, equals: "00" }
        error_message: errorMessage
        parameters: { ma_tinh: "38" }
        resilience: { attempt_timeout: "00:00:02", total_timeout: "00:00:06", max_retries: 1 }
        """;

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void An_upstream_definition_loads_with_its_two_mappings()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("civil-status.reply.yaml", Reply);
        folder.WriteFile("upstreams/civil-status.yaml", RestUpstream);

        var catalog = MappingLoader.LoadFolder(folder.Files);

        catalog.TryGetUpstream("civil-status", out var upstream).ShouldBeTrue();
        upstream.VersionTag.ShouldBe("civil-status@1");
        upstream.FileName.ShouldBe("upstreams/civil-status.yaml");
        upstream.Protocol.ShouldBe(UpstreamProtocol.Rest);
        upstream.BaseUrl.ShouldBe(new Uri("http://127.0.0.1:5095/"));
        upstream.Authentication.ShouldBe(UpstreamAuthMode.ClientCredentials);
        upstream.TokenPath.ShouldBe("/token");
        upstream.RequestMapping.ShouldBe("civil-status.request");
        upstream.ReplyMapping.ShouldBe("civil-status.reply");
        upstream.Parameters["ma_tinh"].ShouldBe("38");
        upstream.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(2));
        upstream.MaxRetries.ShouldBe(1);
    }

    [Fact]
    public void Success_when_tells_a_refusal_and_its_message()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("civil-status.reply.yaml", Reply);
        folder.WriteFile("upstreams/civil-status.yaml", RestUpstream);
        MappingLoader.LoadFolder(folder.Files).TryGetUpstream("civil-status", out var upstream).ShouldBeTrue();

        upstream.IsRefusal(JsonNode.Parse("""{"errorCode":"00","data":{}}"""), out _).ShouldBeFalse();
        upstream.IsRefusal(JsonNode.Parse("""{"errorCode":"05","errorMessage":"Sai mã tỉnh"}"""), out var message).ShouldBeTrue();
        message.ShouldBe("Sai mã tỉnh");
    }

    [Fact]
    public void The_built_in_lookups_replies_are_judged_by_their_definitions()
    {
        // The checks the population, insurance and land adapters made in code, now in Mappings/files/upstreams/*.yaml.
        var catalog = MappingLoader.LoadFolder(Path.Combine(TestMappings.RepoRoot, "Mappings", "files"));
        catalog.TryGetUpstream("population", out var population).ShouldBeTrue();
        catalog.TryGetUpstream("land", out var land).ShouldBeTrue();
        catalog.TryGetUpstream("business", out var business).ShouldBeTrue();

        population.Judge(JsonNode.Parse("""{"error_code":0,"message":"<x/>"}""")).Verdict.ShouldBe(UpstreamReplyVerdict.Success);
        population.Judge(JsonNode.Parse("""{"error_code":"0","message":"<x/>"}""")).Verdict.ShouldBe(UpstreamReplyVerdict.Success);
        population.Judge(JsonNode.Parse("""{"error_code":1,"message":"Thiếu số định danh"}"""))
            .ShouldBe(new UpstreamReplyCheck(UpstreamReplyVerdict.Refused, "error_code 1", "Thiếu số định danh"));
        population.Judge(JsonNode.Parse("""{"message":"<x/>"}""")).ShouldBe(new UpstreamReplyCheck(UpstreamReplyVerdict.Malformed, "reply has no error_code"));

        land.Judge(JsonNode.Parse("""{"data":{},"status":{"success":true,"code":"200","message":"OK"}}""")).Verdict.ShouldBe(UpstreamReplyVerdict.Success);
        land.Judge(JsonNode.Parse("""{"data":null,"status":{"success":false,"code":"404","message":"Không tìm thấy"}}""")).Verdict.ShouldBe(UpstreamReplyVerdict.NotFound);
        land.Judge(JsonNode.Parse("""{"data":null,"status":{"success":false,"code":"500","message":"Lỗi"}}"""))
            .ShouldBe(new UpstreamReplyCheck(UpstreamReplyVerdict.Refused, "status code 500", "Lỗi"));
        land.Judge(JsonNode.Parse("""{"data":{}}""")).ShouldBe(new UpstreamReplyCheck(UpstreamReplyVerdict.Malformed, "reply has no status.success"));

        business.Judge(JsonNode.Parse("""{"GetEntCert":null}""")).Verdict.ShouldBe(UpstreamReplyVerdict.Success);
    }

    [Fact]
    public void Reply_conditions_that_cannot_work_are_refused_naming_the_key()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("civil-status.reply.yaml", Reply);
        folder.WriteFile("upstreams/civil-status.yaml", """
            id: civil-status
            version: 1
            protocol: rest
            endpoint: /api/hotich/khaisinh
            success_when: { path: errorCode, equals: "00", required: maybe }
            not_found_when: { path: errorCode }
            """);
        folder.WriteFile("upstreams/civil-status-b.yaml", """
            id: civil-status-b
            version: 1
            protocol: rest
            endpoint: /api/hotich/khaisinh
            request: civil-status.request
            reply: civil-status.reply
            error_code: { path: errorCode, name: ma loi }
            """);

        Should.Throw<MappingLoadException>(() => MappingLoader.LoadFolder(folder.Files)).Errors.Select(e => e.ToString()).ShouldBe(
        [
            "upstreams/civil-status.yaml: success_when: required must be true or false",
            "upstreams/civil-status.yaml: not_found_when: when: needs exactly one of equals, in or exists",
            "upstreams/civil-status-b.yaml: error_code: goes with success_when (the condition a successful reply meets)",
        ], ignoreOrder: true);
    }

    [Fact]
    public void An_upstream_without_its_mappings_or_with_bad_settings_is_refused_naming_each_problem()
    {
        folder.WriteFile("upstreams/civil-status.yaml", """
            id: civil-status
            version: 1
            protocol: soap
            method: GET
            base_url: ftp://registry
            endpoint: api/hotich
            auth: { type: none, client_id: x }
            resilience: { attempt_timeout: "00:00:05", total_timeout: "00:00:01" }
            """);

        var errors = Should.Throw<MappingLoadException>(() => MappingLoader.LoadFolder(folder.Files)).Errors.Select(e => e.ToString());

        errors.ShouldBe(
        [
            "upstreams/civil-status.yaml: method: a SOAP upstream is called with POST",
            "upstreams/civil-status.yaml: base_url: 'ftp://registry' is not an absolute http(s) address",
            "upstreams/civil-status.yaml: endpoint: must be a path starting with '/' (relative to base_url)",
            "upstreams/civil-status.yaml: auth: client_id, client_secret and token_path go with type: client-credentials",
            "upstreams/civil-status.yaml: soap: a SOAP upstream needs soap: { namespace, operation } (and optionally action)",
            "upstreams/civil-status.yaml: resilience.total_timeout: must be at least attempt_timeout",
        ], ignoreOrder: true);
    }

    [Fact]
    public void An_upstream_naming_mappings_the_folder_lacks_is_refused()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("upstreams/civil-status.yaml", RestUpstream);

        Should.Throw<MappingLoadException>(() => MappingLoader.LoadFolder(folder.Files)).Errors.Select(e => e.ToString())
            .ShouldBe(["upstreams/civil-status.yaml: reply: no mapping 'civil-status.reply' in the folder (expected file civil-status.reply.yaml)"]);
    }

    [Fact]
    public void A_broken_mapping_an_upstream_names_is_reported_once_by_its_own_file()
    {
        // Regression: the upstream also reported the mapping as missing, which it is not (a built-in lookup's reply
        // mapping with a bad table read as two problems, one of them wrong).
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("civil-status.reply.yaml", Reply.Replace("root: { path: data }", "root: { path: data, parse: yaml }", StringComparison.Ordinal));
        folder.WriteFile("upstreams/civil-status.yaml", RestUpstream);

        Should.Throw<MappingLoadException>(() => MappingLoader.LoadFolder(folder.Files)).Errors
            .ShouldHaveSingleItem().File.ShouldBe("civil-status.reply.yaml");
    }

    [Fact]
    public void Upstream_structure_errors_come_from_its_schema()
    {
        folder.WriteFile("upstreams/civil-status.yaml", "id: civil-status\nversion: 1\nprotocol: grpc\nendpoint: /x\nretries: 3\n");

        Should.Throw<MappingLoadException>(() => MappingLoader.LoadFolder(folder.Files)).Errors.Select(e => e.ToString()).ShouldBe(
        [
            "upstreams/civil-status.yaml: $: unknown key 'retries'",
            "upstreams/civil-status.yaml: protocol: must be one of rest, soap",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Check_folder_runs_every_sample_and_reports_failures_as_errors_naming_file_field_and_sample()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("civil-status.reply.yaml", Reply.Replace("expect: { ho_va_ten: Nguyễn Văn Bảo }", "expect: { ho_va_ten: Nguyễn Bảo }", StringComparison.Ordinal));

        var report = MappingLoader.CheckFolder(folder.Files);

        report.IsValid.ShouldBeFalse();
        report.Catalog.ShouldNotBeNull();
        report.SamplesPassed.ShouldBe(1);
        report.SamplesFailed.ShouldBe(1);
        report.Errors.Select(e => e.ToString()).ShouldBe(
            ["civil-status.reply.yaml: ho_va_ten: sample 'a birth': expected \"Nguyễn Bảo\", got \"Nguyễn Văn Bảo\""]);
    }

    [Fact]
    public void Check_folder_of_an_invalid_file_runs_no_sample()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        folder.WriteFile("civil-status.reply.yaml", Reply.Replace("version: 3", "version: ", StringComparison.Ordinal));

        var report = MappingLoader.CheckFolder(folder.Files);

        report.Catalog.ShouldBeNull();
        report.Samples.ShouldBeEmpty();
        report.Errors.Select(e => e.ToString()).ShouldBe(["civil-status.reply.yaml: version: must be text or a number"]);
    }

    [Fact]
    public void Catalog_digest_changes_with_any_file_and_only_then()
    {
        folder.WriteFile("civil-status.request.yaml", Request);
        var first = MappingLoader.LoadFolder(folder.Files).Digest;
        var again = MappingLoader.LoadFolder(folder.Files).Digest;
        folder.WriteFile("civil-status.request.yaml", Request.Replace("version: 1", "version: 2", StringComparison.Ordinal));
        var changed = MappingLoader.LoadFolder(folder.Files).Digest;

        again.ShouldBe(first);
        changed.ShouldNotBe(first);
    }

    [Fact]
    public void Mapped_objects_are_written_as_xml_elements_and_read_back_the_same()
    {
        var value = JsonNode.Parse("""{"SoDangKy":"12/2026","ConSo":2,"HopLe":true,"Cha":{"HoTen":"Nguyễn Văn A & B"},"Tep":[{"Ten":"a"},{"Ten":"b"}],"Bo":null}""");
        var text = new StringWriter();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            MappingXml.WriteElement(writer, "TraCuu", "http://hotich.lgsp/v1", value);
        }

        text.ToString().ShouldBe("<TraCuu xmlns=\"http://hotich.lgsp/v1\"><SoDangKy>12/2026</SoDangKy><ConSo>2</ConSo><HopLe>true</HopLe>"
            + "<Cha><HoTen>Nguyễn Văn A &amp; B</HoTen></Cha><Tep><Ten>a</Ten></Tep><Tep><Ten>b</Ten></Tep></TraCuu>");
        MappingXml.Parse(text.ToString())["TraCuu"]!["Tep"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public void Xml_with_a_dtd_is_refused()
    {
        Should.Throw<FormatException>(() => MappingXml.Parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"))
            .Message.ShouldContain("DTD");
    }
}
