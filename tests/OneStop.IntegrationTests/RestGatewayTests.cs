using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The gRPC services as JSON over HTTP/1.1 (gRPC JSON transcoding): the same records, names as in the protos, errors as
/// <c>{code, message, field, upstream}</c> with the matching HTTP status, and the same rights, rate limits and evidence
/// as gRPC, whether the caller sends a bearer token or an API key.
/// </summary>
public sealed partial class RestGatewayTests(RestFixture fixture) : IClassFixture<RestFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enterprise_over_json_is_the_grpc_record_with_the_protos_snake_case_names()
    {
        using var http = fixture.WithBearer(await fixture.TokenAsync());
        using var response = await http.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        var grpc = await new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey())
            .GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        var record = json["doanh_nghiep"]!;
        record["ma_so_doanh_nghiep"]!.GetValue<string>().ShouldBe(grpc.DoanhNghiep.MaSoDoanhNghiep);
        record["ten_tieng_viet"]!.GetValue<string>().ShouldBe(grpc.DoanhNghiep.TenTiengViet);
        record["nganh_nghe_kinh_doanh"]!.AsArray().Count.ShouldBe(grpc.DoanhNghiep.NganhNgheKinhDoanh.Count);
        record["nganh_nghe_kinh_doanh"]![0]!["la_nganh_chinh"]!.GetValue<bool>().ShouldBe(grpc.DoanhNghiep.NganhNgheKinhDoanh[0].LaNganhChinh);
        json["meta"]!["nguon"]!.GetValue<string>().ShouldBe("business");
        Keys(json).ShouldAllBe(k => SnakeCase().IsMatch(k));
    }

    [Fact]
    public async Task Citizen_is_verified_by_GET_and_by_POST_with_the_same_answer()
    {
        using var http = fixture.WithApiKey();
        using var get = await http.GetAsync("/api/v1/cong-dan/038085000123?ho_va_ten=Nguy%E1%BB%85n%20V%C4%83n%20An&ngay_thang_nam_sinh=1985-03-15", Ct);
        using var post = await http.PostAsync("/api/v1/cong-dan/xac-thuc",
            Json("""{"so_dinh_danh":"038085000123","ho_va_ten":"Nguyễn Văn An","ngay_thang_nam_sinh":"1985-03-15","context":{"muc_dich":"tiep-nhan-ho-so"}}"""), Ct);
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        post.StatusCode.ShouldBe(HttpStatusCode.OK);
        var a = JsonNode.Parse(await get.Content.ReadAsStringAsync(Ct))!["cong_dan"]!;
        var b = JsonNode.Parse(await post.Content.ReadAsStringAsync(Ct))!["cong_dan"]!;
        a.ToJsonString().ShouldBe(b.ToJsonString());
        a["ho_va_ten"]!.GetValue<string>().ShouldBe("Nguyễn Văn An");
        a["thuong_tru"]!["ma_phuong_xa"]!.GetValue<string>().ShouldBe("16012");
    }

    [Fact]
    public async Task Insurance_and_land_parcel_routes_answer_their_records()
    {
        using var http = fixture.WithApiKey();
        var insurance = JsonNode.Parse(await http.GetStringAsync("/api/v1/bao-hiem-xa-hoi/3820000123", Ct))!;
        insurance["so_bhxh"]!["so_dinh_danh"]!.GetValue<string>().ShouldBe("038085000123");
        var byCitizen = JsonNode.Parse(await http.GetStringAsync("/api/v1/cong-dan/038085000123/bao-hiem-xa-hoi", Ct))!;
        byCitizen["so_bhxh"]!["ma_so_bhxh"]!.GetValue<string>().ShouldBe("3820000123");
        var parcel = JsonNode.Parse(await http.GetStringAsync("/api/v1/thua-dat/16012/12/345", Ct))!;
        parcel["thua_dat"]!["so_thu_tu_thua"]!.GetValue<int>().ShouldBe(345);
    }

    [Fact]
    public async Task Dossier_event_published_over_json_is_acknowledged_and_a_republish_is_a_duplicate()
    {
        using var http = fixture.WithBearer(await fixture.TokenAsync());
        var maHoSo = TestDossierEvents.NewMaHoSo();
        var body = $$"""
            {"client_event_id":"rest-{{maHoSo}}","ma_ho_so":"{{maHoSo}}","ma_tthc":"1.001234.000.00.00.H56","ten_tthc":"Đăng ký khai sinh",
             "trang_thai_ho_so":2,"ngay_tiep_nhan":"2026-11-27T08:30:00+07:00","don_vi_xu_ly":"{{TestDossierEvents.Agency}}",
             "kenh_thuc_hien":1,"hinh_thuc":0,"chu_ho_so":"Nguyễn Văn An","loai_doi_tuong":1,
             "danh_sach_le_phi":[{"ten_phi_le_phi":"Lệ phí","ma_phi_le_phi":"LP01","hinh_thuc_thu":2,"gia":"8000","loai_phi_le_phi":1}]}
            """;
        using var first = await http.PostAsync("/api/v1/ho-so/su-kien", Json(body), Ct);
        var firstText = await first.Content.ReadAsStringAsync(Ct);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, firstText);
        using var again = await http.PostAsync("/api/v1/ho-so/su-kien", Json(body), Ct);
        var a = JsonNode.Parse(firstText)!;
        var b = JsonNode.Parse(await again.Content.ReadAsStringAsync(Ct))!;
        a["duplicate"]!.GetValue<bool>().ShouldBeFalse();
        b["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        b["event_id"]!.GetValue<string>().ShouldBe(a["event_id"]!.GetValue<string>());

        var trail = await new AdminService.AdminServiceClient(fixture.Hub.Grpc.WithApiKey())
            .GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = maHoSo }, cancellationToken: Ct);
        trail.Events.Single().EventId.ShouldBe(a["event_id"]!.GetValue<string>());
        using var admin = await http.GetAsync($"/api/v1/admin/ho-so/{maHoSo}/trail", Ct);
        JsonNode.Parse(await admin.Content.ReadAsStringAsync(Ct))!["events"]![0]!["event_id"]!.GetValue<string>().ShouldBe(a["event_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_are_json_with_code_field_and_upstream_and_the_http_status_of_the_grpc_code()
    {
        using var http = fixture.WithApiKey();
        await Error(http.GetAsync("/api/v1/doanh-nghiep/2801234565", Ct), HttpStatusCode.BadRequest, "INVALID_ARGUMENT", field: "ma_so_doanh_nghiep");
        await Error(http.GetAsync("/api/v1/cong-dan/038085999999", Ct), HttpStatusCode.NotFound, "NOT_FOUND");
        await Error(http.GetAsync("/api/v1/thua-dat/16012/12/abc", Ct), HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        await Error(http.GetAsync("/api/v1/no-such-route", Ct), HttpStatusCode.NotFound, "NOT_FOUND");
        await Error(http.DeleteAsync("/api/v1/doanh-nghiep/2801234564", Ct), HttpStatusCode.MethodNotAllowed, "UNIMPLEMENTED");
        await Error(http.PostAsync("/api/v1/tra-cuu/no-such-upstream", Json("""{"parameters":{"a":"b"}}"""), Ct), HttpStatusCode.BadRequest, "INVALID_ARGUMENT");

        fixture.Systems.National.Insurance.Faults.MalformedBody = true;
        try
        {
            var upstream = await Error(http.GetAsync("/api/v1/bao-hiem-xa-hoi/3820000123", Ct), HttpStatusCode.InternalServerError, "DATA_LOSS");
            upstream["upstream"]!.GetValue<string>().ShouldBe("insurance");
        }
        finally
        {
            fixture.Systems.National.Insurance.Faults.Clear();
        }
    }

    [Fact]
    public async Task Json_routes_check_the_same_rights_purposes_and_agencies_as_grpc()
    {
        using var limited = fixture.WithApiKey("onestop-limited-key");
        var denied = await Error(limited.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        denied["message"]!.GetValue<string>().ShouldContain("LookupService/GetEnterprise");
        var grpc = await Should.ThrowAsync<RpcException>(new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey("onestop-limited-key"))
            .GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct).ResponseAsync);
        grpc.StatusCode.ShouldBe(StatusCode.PermissionDenied);

        using var bound = fixture.WithBearer(await fixture.TokenAsync("purpose-bound", RestFixture.PurposeSecret));
        await Error(bound.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        using var withPurpose = await bound.GetAsync("/api/v1/doanh-nghiep/2801234564?context.muc_dich=tiep-nhan-ho-so", Ct);
        withPurpose.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Error(bound.PostAsync("/api/v1/ho-so/su-kien", Json("""{"client_event_id":"x","ma_ho_so":"000.00.01.H22-261127-0001","don_vi_xu_ly":"000.00.01.H22"}"""), Ct),
            HttpStatusCode.Forbidden, "PERMISSION_DENIED");

        using var secretOnly = fixture.WithBearer(await fixture.TokenAsync(RestFixture.SecretOnlyClient, RestFixture.SecretOnlySecret));
        (await secretOnly.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Error(secretOnly.GetAsync("/api/v1/admin/parked", Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task Inbound_dossiers_are_fetched_and_acknowledged_over_json_with_a_token_holding_only_the_inbound_rights()
    {
        // The portal pushes a dossier for the agency (its own key, as in production).
        var maHoSo = $"{RestFixture.InboundAgency}-261120-{Random.Shared.Next(1000, 10000)}";
        using var portal = fixture.WithApiKey(InboundFixture.PortalKey);
        using var pushed = await portal.PostAsync("/api/dvcqg/v1/ho-so",
            Json(new JsonObject { ["data"] = new JsonArray(InboundTests.Item(maHoSo, RestFixture.InboundAgency)) }.ToJsonString()), Ct);
        (await pushed.Content.ReadAsStringAsync(Ct)).ShouldContain("\"accepted\"");

        using var http = fixture.WithBearer(await fixture.TokenAsync(RestFixture.InboundClient, RestFixture.InboundSecret));
        var fetchBody = $$"""{"agencies":["{{RestFixture.InboundAgency}}"],"max_messages":10}""";
        using var fetched = await http.PostAsync("/api/v1/ho-so-den/fetch", Json(fetchBody), Ct);
        var text = await fetched.Content.ReadAsStringAsync(Ct);
        fetched.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var json = JsonNode.Parse(text)!;
        Keys(json).ShouldAllBe(k => SnakeCase().IsMatch(k));
        var message = json["messages"]!.AsArray().Single(m => m!["dossier"]!["ma_ho_so"]!.GetValue<string>() == maHoSo)!;
        message["agency"]!.GetValue<string>().ShouldBe(RestFixture.InboundAgency);
        message["dossier"]!["chu_ho_so"]!.GetValue<string>().ShouldBe("Nguyễn Văn An");
        var deliveryId = message["delivery_id"]!.GetValue<string>();

        using var acked = await http.PostAsync("/api/v1/ho-so-den/ack", Json($$"""{"delivery_ids":["{{deliveryId}}"]}"""), Ct);
        var ackText = await acked.Content.ReadAsStringAsync(Ct);
        acked.StatusCode.ShouldBe(HttpStatusCode.OK, ackText);
        JsonNode.Parse(ackText)!["acknowledged"]!.GetValue<int>().ShouldBe(1);
        using var again = await http.PostAsync("/api/v1/ho-so-den/fetch", Json(fetchBody), Ct);
        var againText = await again.Content.ReadAsStringAsync(Ct);
        (JsonNode.Parse(againText)!["messages"]?.AsArray() ?? []).ShouldNotContain(m => m!["delivery_id"]!.GetValue<string>() == deliveryId, againText);

        // Bad input names the JSON field; what the token does not hold is refused.
        await Error(http.PostAsync("/api/v1/ho-so-den/ack", Json("{}"), Ct), HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "delivery_ids");
        await Error(http.PostAsync("/api/v1/ho-so-den/fetch", Json("""{"agencies":["000.00.32.H56"]}"""), Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await Error(http.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await Error(http.PostAsync("/api/v1/ho-so/su-kien", Json($$"""{"client_event_id":"x","ma_ho_so":"{{maHoSo}}","don_vi_xu_ly":"{{RestFixture.InboundAgency}}"}"""), Ct),
            HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await Error(http.GetAsync("/api/v1/admin/parked", Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");

        // And a token of a client without the inbound rights cannot fetch.
        using var other = fixture.WithBearer(await fixture.TokenAsync(RestFixture.SecretOnlyClient, RestFixture.SecretOnlySecret));
        await Error(other.PostAsync("/api/v1/ho-so-den/fetch", Json(fetchBody), Ct), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task A_client_has_one_rate_limit_bucket_across_grpc_and_json()
    {
        // The throttled client has a burst of 3 that does not refill during a test.
        var token = await fixture.TokenAsync("throttled", RestFixture.ThrottledSecret);
        await new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey(SecurityFixture.ThrottledKey))
            .GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        using var http = fixture.WithBearer(token);
        (await http.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await http.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        var error = await Error(Task.FromResult(refused), HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED");
        error["message"]!.GetValue<string>().ShouldContain("throttled");

        // Other clients keep their own buckets.
        using var other = fixture.WithApiKey();
        (await other.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Json_calls_leave_the_same_evidence_as_grpc_calls()
    {
        var token = await fixture.TokenAsync(RestFixture.SecretOnlyClient, RestFixture.SecretOnlySecret);
        using var http = fixture.WithBearer(token);
        (await http.GetAsync("/api/v1/doanh-nghiep/2801234564", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("/api/v1/cong-dan/038085000123", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var store = (IEvidenceStore)fixture.Hub.Services.GetService(typeof(IEvidenceStore))!;
        await Eventually.Until(() => store.ReadAllAsync(Ct), entries =>
            entries.Any(e => e.Client == RestFixture.SecretOnlyClient && e.Operation == "LookupService/GetEnterprise" && e.Outcome == "ok" && e.Upstream == "business")
            && entries.Any(e => e.Client == RestFixture.SecretOnlyClient && e.Operation == "LookupService/VerifyCitizen" && e.Outcome == "permission_denied")
            && entries.Any(e => e.Client == RestFixture.SecretOnlyClient && e.Operation == "TokenService/Issue" && e.Outcome == "ok"),
            "evidence of the JSON lookup, the refused one and the token issue");
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Asserts the status and the error shape; returns the error for further checks.</summary>
    internal static async Task<JsonNode> Error(Task<HttpResponseMessage> call, HttpStatusCode status, string code, string? field = null)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json", text);
        var json = JsonNode.Parse(text)!.AsObject();
        json.Select(p => p.Key).Order().ToArray().ShouldBe(["code", "field", "message", "upstream"], customMessage: text);
        json["code"]!.GetValue<string>().ShouldBe(code, text);
        json["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        if (field is not null)
        {
            json["field"]!.GetValue<string>().ShouldBe(field, text);
        }

        return json;
    }

    private static IEnumerable<string> Keys(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => Keys(p.Value!).Prepend(p.Key)),
        JsonArray a => a.SelectMany(e => e is null ? [] : Keys(e)),
        _ => [],
    };

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
