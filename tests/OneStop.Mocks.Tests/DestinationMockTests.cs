using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace OneStop.Mocks.Tests;

/// <summary>The fake destinations over HTTP, as an integrator running them standalone would use them. Each test starts its own fake.</summary>
public sealed class PortalMockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonObject> PostAsync(MockServer mock, string path, object body, string? dstcode = PortalMock.DemoDstCode, string? key = null)
    {
        using var client = new MockClient(mock);
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (dstcode is not null)
        {
            request.Headers.Add("dstcode", dstcode);
        }

        if (key is not null)
        {
            request.Headers.Add(DestinationMock.IdempotencyKeyHeader, key);
        }

        using var response = await client.Http.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }

    private static async Task<string> LoginAsync(PortalMock mock)
    {
        var reply = await PostAsync(mock, PortalMock.LoginPath, new { username = MockServer.DemoClientId, password = MockServer.DemoClientSecret });
        reply["error_code"]!.GetValue<int>().ShouldBe(0);
        return reply["session"]!.GetValue<string>();
    }

    private static object Item(string maHoSo, string status = "2") =>
        new { MaHoSo = maHoSo, MaTTHC = "1.001234.000.00.00.H56", TrangThaiHoSo = status, DonViXuLy = "000.00.01.H56" };

    private static object Sync(string session, bool isUpdating, object item) =>
        new { session, madonvi = "000.00.01.H56", service = "DongBoHoSoMC", isUpdating = isUpdating ? "True" : "False", data = new[] { item } };

    [Fact]
    public async Task Login_with_the_demo_credentials_and_dstcode_gives_a_session()
    {
        await using var mock = await PortalMock.StartAsync();

        (await LoginAsync(mock)).ShouldNotBeNullOrWhiteSpace();
        mock.Logins.ShouldBe(1);
    }

    [Theory]
    [InlineData("000.00.00.H99", "onestop-hub-secret")]
    [InlineData(PortalMock.DemoDstCode, "wrong")]
    public async Task Login_with_a_wrong_dstcode_or_password_is_refused(string dstcode, string password)
    {
        await using var mock = await PortalMock.StartAsync();

        var reply = await PostAsync(mock, PortalMock.LoginPath, new { username = MockServer.DemoClientId, password }, dstcode);

        reply["error_code"]!.GetValue<int>().ShouldBe(-1);
        reply.ContainsKey("session").ShouldBeFalse();
    }

    [Fact]
    public async Task Create_then_create_again_fails_with_da_ton_tai_and_update_of_a_missing_dossier_fails()
    {
        await using var mock = await PortalMock.StartAsync();
        var session = await LoginAsync(mock);

        (await PostAsync(mock, PortalMock.ServicePath, Sync(session, false, Item("H56-1"))))["error_code"]!.GetValue<string>().ShouldBe("0");
        var again = await PostAsync(mock, PortalMock.ServicePath, Sync(session, false, Item("H56-1")));
        var missing = await PostAsync(mock, PortalMock.ServicePath, Sync(session, true, Item("H56-2")));

        again["error_code"]!.GetValue<string>().ShouldBe(PortalMock.RefusedErrorCode);
        again["message"]!.GetValue<string>().ShouldContain("đã tồn tại");
        missing["error_code"]!.GetValue<string>().ShouldBe(PortalMock.RefusedErrorCode);
        missing["message"]!.GetValue<string>().ShouldContain("không tồn tại");
        mock.SideEffects.ShouldHaveSingleItem().MaHoSo.ShouldBe("H56-1");
    }

    [Fact]
    public async Task TraCuuHoSo_answers_the_dossier_or_an_empty_result()
    {
        await using var mock = await PortalMock.StartAsync();
        var session = await LoginAsync(mock);
        mock.SeedDossier("H56-9", "4");

        var found = await PostAsync(mock, PortalMock.ServicePath, new { session, madonvi = "x", service = "TraCuuHoSo", mahoso = "H56-9" });
        var none = await PostAsync(mock, PortalMock.ServicePath, new { session, madonvi = "x", service = "TraCuuHoSo", mahoso = "H56-8" });

        found["result"]!.AsArray().ShouldHaveSingleItem()!["TrangThaiHoSo"]!.GetValue<string>().ShouldBe("4");
        none["result"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Expired_or_unknown_session_is_answered_with_the_session_error_code()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var mock = await PortalMock.StartAsync(timeProvider: clock);
        mock.TokenLifetime = TimeSpan.FromMinutes(10);
        var session = await LoginAsync(mock);

        clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await PostAsync(mock, PortalMock.ServicePath, Sync(session, false, Item("H56-1")));
        var unknown = await PostAsync(mock, PortalMock.ServicePath, Sync("not-a-session", false, Item("H56-1")));

        expired["error_code"]!.GetValue<string>().ShouldBe(PortalMock.SessionInvalidErrorCode);
        unknown["error_code"]!.GetValue<string>().ShouldBe(PortalMock.SessionInvalidErrorCode);
        mock.SideEffectCount.ShouldBe(0);
    }

    [Fact]
    public async Task Repeated_idempotency_key_gets_the_first_reply_and_no_second_side_effect()
    {
        await using var mock = await PortalMock.StartAsync();
        var session = await LoginAsync(mock);

        var first = await PostAsync(mock, PortalMock.ServicePath, Sync(session, false, Item("H56-1")), key: "e1:portal:DongBoHoSoMC");
        var second = await PostAsync(mock, PortalMock.ServicePath, Sync(session, true, Item("H56-1", "4")), key: "e1:portal:DongBoHoSoMC");

        second.ToJsonString().ShouldBe(first.ToJsonString());
        mock.SideEffectsFor("H56-1").ShouldHaveSingleItem().Status.ShouldBe("2");
        mock.DuplicatesSuppressed.ShouldBe(1);
    }

    [Fact]
    public async Task Progress_needs_the_dossier_and_keeps_one_step_per_time_and_status()
    {
        await using var mock = await PortalMock.StartAsync();
        var session = await LoginAsync(mock);
        var step = new { MaHoSo = "H56-1", NguoiXuLy = "Trần Thị Bình", ThoiDiemXuLy = "20261121140500", TrangThai = "4" };
        var progress = new { session, madonvi = "x", service = "CapNhatTienDoHoSoMC", data = new[] { step } };

        (await PostAsync(mock, PortalMock.ServicePath, progress))["error_code"]!.GetValue<string>().ShouldBe(PortalMock.RefusedErrorCode);
        mock.SeedDossier("H56-1");
        await PostAsync(mock, PortalMock.ServicePath, progress);
        await PostAsync(mock, PortalMock.ServicePath, progress);

        mock.FindDossier("H56-1").ShouldNotBeNull().Progress.ShouldHaveSingleItem().TrangThai.ShouldBe("4");
        mock.SideEffectsFor("H56-1").Count.ShouldBe(2); // two writes reached the portal, one state
    }

    [Fact]
    public async Task Side_effects_and_refusals_are_served_over_http()
    {
        await using var mock = await PortalMock.StartAsync();
        using var control = new MockClient(mock, baseUrl: mock.ControlUrl);
        var session = await LoginAsync(mock);
        using var reject = await control.Http.PostAsync("__reject", new StringContent("""{"maHoSo":"H56-2"}"""), Ct);
        reject.StatusCode.ShouldBe(HttpStatusCode.OK);

        await PostAsync(mock, PortalMock.ServicePath, Sync(session, false, Item("H56-1")), key: "k1");
        var refused = await PostAsync(mock, PortalMock.ServicePath, Sync(session, false, Item("H56-2")));

        refused["message"]!.GetValue<string>().ShouldContain("bị từ chối");
        var state = JsonNode.Parse(await control.Http.GetStringAsync("__sideeffects?maHoSo=H56-1", Ct))!;
        state["total"]!.GetValue<int>().ShouldBe(1);
        state["sideEffects"]![0]!["IdempotencyKey"]!.GetValue<string>().ShouldBe("k1");
        state["sideEffects"]![0]!["Operation"]!.GetValue<string>().ShouldBe("DongBoHoSoMC isUpdating=False");

        using var cleared = await control.Http.DeleteAsync("__sideeffects", Ct);
        JsonNode.Parse(await cleared.Content.ReadAsStringAsync(Ct))!["total"]!.GetValue<int>().ShouldBe(0);
        mock.FindDossier("H56-1").ShouldBeNull();
        mock.RejectedDossiers.ShouldBeEmpty();
    }
}

public sealed class EmcMockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Body(string maHoSo = "H56-1", string status = "1") => new()
    {
        ["CodeProfile"] = maHoSo, ["SiteId"] = EmcMock.DemoSiteId, ["CodeTTHC"] = "1.001234.000.00.00.H56", ["NameTTHC"] = "Đăng ký khai sinh",
        ["MaHoSo"] = maHoSo, ["Status"] = status, ["FormsReception"] = "1", ["FormsPayments"] = "0", ["Level"] = "4",
        ["IsFromDVCQG"] = "0", ["IsDVCBC"] = "1", ["Data"] = "{}",
        ["User"] = """{"ID_local":"038085000123","ID_QG":"038085000123","TYPE":"2","LOCATION":"38"}""",
    };

    private static async Task<(HttpStatusCode Status, JsonObject Reply)> TrackAsync(MockClient client, string token, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "TrackingMCDT")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null)
        {
            request.Headers.Add(DestinationMock.IdempotencyKeyHeader, key);
        }

        using var response = await client.Http.SendAsync(request, Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject());
    }

    [Fact]
    public async Task Tracking_is_recorded_once_per_idempotency_key()
    {
        await using var mock = await EmcMock.StartAsync();
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();

        var (status, reply) = await TrackAsync(client, token, Body(), "e1:emc");
        await TrackAsync(client, token, Body(), "e1:emc");
        await TrackAsync(client, token, Body(status: "2"), "e2:emc");

        status.ShouldBe(HttpStatusCode.OK);
        reply["success"]!.GetValue<bool>().ShouldBeTrue();
        mock.SideEffectsFor("H56-1").Select(e => e.Status).ShouldBe(["1", "2"]);
        mock.DuplicatesSuppressed.ShouldBe(1);
    }

    [Fact]
    public async Task Wrong_SiteId_is_403_and_a_body_outside_the_contract_is_400()
    {
        await using var mock = await EmcMock.StartAsync();
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        var wrongSite = Body();
        wrongSite["SiteId"] = "other";
        var badStatus = Body(status: "7");
        var userNotText = Body();
        userNotText["User"] = new { ID_local = "x" };

        (await TrackAsync(client, token, wrongSite)).Status.ShouldBe(HttpStatusCode.Forbidden);
        var (status, reply) = await TrackAsync(client, token, badStatus);
        status.ShouldBe(HttpStatusCode.BadRequest);
        reply["message"]!.GetValue<string>().ShouldContain("Status");
        (await TrackAsync(client, token, userNotText)).Reply["message"]!.GetValue<string>().ShouldContain("User");
        mock.SideEffectCount.ShouldBe(0);
    }

    [Fact]
    public async Task Tracking_needs_a_bearer_token()
    {
        await using var mock = await EmcMock.StartAsync();
        using var client = new MockClient(mock);

        (await TrackAsync(client, "not-a-token", Body())).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class PostalMockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Order(string orderNumber) => new()
    {
        ["CustomerCode"] = PostalMock.DemoCustomerCode, ["OrderNumber"] = orderNumber, ["CODAmount"] = 0,
        ["SenderProvince"] = "38", ["SenderDistrict"] = "16012", ["SenderAddress"] = "1 Quảng trường", ["SenderName"] = "Bộ phận Một cửa",
        ["SenderEmail"] = "", ["SenderTel"] = "02373000000", ["SenderDesc"] = "", ["Description"] = "Kết quả",
        ["ReceiverName"] = "Nguyễn Văn An", ["ReceiverAddress"] = "12 Lê Lợi", ["ReceiverTel"] = "0912345678",
        ["ReceiverProvince"] = "38", ["ReceiverDistrict"] = "", ["ReceiverEmail"] = "", ["ItemCode"] = "",
    };

    private static async Task<JsonObject> PostAsync(MockClient client, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request, token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }

    [Fact]
    public async Task Order_is_created_once_per_OrderNumber_and_cancelled_once()
    {
        await using var mock = await PostalMock.StartAsync();
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        var cancel = new { CustomerCode = PostalMock.DemoCustomerCode, OrderNumber = "H56-1" };

        (await PostAsync(client, token, PostalMock.CreatePath, Order("H56-1")))["Status"]!.GetValue<string>().ShouldBe(PostalMock.StatusSuccess);
        (await PostAsync(client, token, PostalMock.CreatePath, Order("H56-1")))["Status"]!.GetValue<string>().ShouldBe(PostalMock.StatusDuplicate);
        (await PostAsync(client, token, PostalMock.CancelPath, cancel))["Status"]!.GetValue<string>().ShouldBe(PostalMock.StatusSuccess);
        (await PostAsync(client, token, PostalMock.CancelPath, cancel))["Status"]!.GetValue<string>().ShouldBe(PostalMock.StatusSuccess);
        (await PostAsync(client, token, PostalMock.CancelPath, cancel with { OrderNumber = "H56-404" }))["Status"]!.GetValue<string>().ShouldBe(PostalMock.StatusNotFound);

        mock.SideEffectsFor("H56-1").Select(e => e.Operation).ShouldBe(["order created", "order cancelled"]);
        mock.Orders.ShouldHaveSingleItem().Cancelled.ShouldBeTrue();
    }

    [Theory]
    [InlineData("ReceiverProvince", "99")]   // not one of the 34 provinces
    [InlineData("ReceiverDistrict", "123")]  // neither empty nor a 5-digit commune code
    [InlineData("CustomerCode", "SOMEONE")]
    [InlineData("ReceiverTel", "")]
    public async Task Order_outside_the_contract_is_refused_with_101(string field, string value)
    {
        await using var mock = await PostalMock.StartAsync();
        using var client = new MockClient(mock);
        var order = Order("H56-1");
        order[field] = value;

        var reply = await PostAsync(client, await client.TokenAsync(), PostalMock.CreatePath, order);

        reply["Status"]!.GetValue<string>().ShouldBe(PostalMock.StatusInvalid);
        reply["Message"]!.GetValue<string>().ShouldContain(field);
        mock.Orders.ShouldBeEmpty();
    }

    [Fact]
    public async Task Tracking_feed_pages_after_lastId()
    {
        await using var mock = await PostalMock.StartAsync();
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        await PostAsync(client, token, PostalMock.CreatePath, Order("H56-1"));
        await PostAsync(client, token, PostalMock.CreatePath, Order("H56-2"));
        mock.AddTrackingEvent("H56-1", "5", "Phát thành công", "Người nhận ký");

        using var firstPage = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/order/tracking?pagesize=2&lastId=0"), token);
        var first = JsonNode.Parse(await firstPage.Content.ReadAsStringAsync(Ct))!.AsArray();
        var lastId = first[^1]!["Id"]!.GetValue<long>();
        using var secondPage = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/order/tracking?pagesize=2&lastId={lastId}"), token);
        var second = JsonNode.Parse(await secondPage.Content.ReadAsStringAsync(Ct))!.AsArray();

        first.Select(e => e!["OrderNumber"]!.GetValue<string>()).ShouldBe(["H56-1", "H56-2"]);
        var delivered = second.ShouldHaveSingleItem()!;
        delivered["StatusCode"]!.GetValue<string>().ShouldBe("5");
        delivered["CustomerCode"]!.GetValue<string>().ShouldBe(PostalMock.DemoCustomerCode);
        delivered["ItemCode"]!.GetValue<string>().ShouldStartWith("EO");
        delivered["POSID"]!.GetValue<string>().ShouldBe(PostalMock.DemoPosId);
    }
}

public sealed class DestinationMocksTests
{
    [Fact]
    public async Task Starts_the_three_destinations_on_distinct_loopback_ports()
    {
        await using var mocks = await DestinationMocks.StartAsync();

        mocks.All.Select(m => m.Name).ShouldBe(["portal", "emc", "postal"]);
        mocks.All.ShouldAllBe(m => m.Url.Host == "127.0.0.1");
        mocks.All.Select(m => m.Url.Port).ShouldBeUnique();
        mocks.Portal.BusinessEndpoint.ShouldBe("POST /dvcqg");
        mocks.Emc.BusinessEndpoint.ShouldBe("POST /TrackingMCDT");
        mocks.Postal.BusinessEndpoint.ShouldBe("POST /api/order/post");
        Should.Throw<InvalidOperationException>(() => mocks.Emc.Data);
    }

    [Fact]
    public void Standalone_ports_are_the_documented_ones() =>
        DestinationMockPorts.Standalone.ShouldBe(new DestinationMockPorts { Portal = 5095, Emc = 5096, Postal = 5097 });
}
