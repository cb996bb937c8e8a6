using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Mocks.Tests;

/// <summary>The portal fake's pull services, catalogue and status-back service; the postal fake's tracking journey.</summary>
public sealed class PortalInboundMockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonObject> PostAsync(MockServer mock, string path, object body, string? key = null)
    {
        using var client = new MockClient(mock);
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("dstcode", PortalMock.DemoDstCode);
        if (key is not null)
        {
            request.Headers.Add(DestinationMock.IdempotencyKeyHeader, key);
        }

        using var response = await client.Http.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }

    private static async Task<string> LoginAsync(PortalMock mock) =>
        (await PostAsync(mock, PortalMock.LoginPath, new { username = MockServer.DemoClientId, password = MockServer.DemoClientSecret }))["session"]!.GetValue<string>();

    [Fact]
    public async Task Dossiers_submitted_through_the_control_api_are_listed_by_agency_and_window_then_looked_up_with_their_files()
    {
        await using var mock = await PortalMock.StartAsync();
        using (var control = new MockClient(mock))
        {
            using var response = await control.Http.PostAsync("__online", new StringContent("""{"donViXuLy":"000.00.02.H56","count":3}""", Encoding.UTF8, "application/json"), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        mock.SubmitOnline("000.00.03.H56");
        var session = await LoginAsync(mock);
        var today = mock.OnlineDossiers[0].NgayNhan.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var list = await PostAsync(mock, PortalMock.ServicePath, new { session, service = "DanhSachHoSo", donViXuLy = "000.00.02.H56", ngayNhan1 = today, ngayNhan2 = today });
        var codes = list["data"]!.AsArray().Select(d => d!["maHoSo"]!.GetValue<string>()).ToList();
        codes.Count.ShouldBe(3);
        codes.ShouldAllBe(c => c.StartsWith("000.00.02.H56-", StringComparison.Ordinal));

        var yesterday = mock.OnlineDossiers[0].NgayNhan.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await PostAsync(mock, PortalMock.ServicePath, new { session, service = "DanhSachHoSo", donViXuLy = "000.00.02.H56", ngayNhan1 = yesterday, ngayNhan2 = yesterday }))["data"]!.AsArray().Count.ShouldBe(0);

        var detail = (await PostAsync(mock, PortalMock.ServicePath, new { session, service = "TraCuuHoSo", mahoso = codes[0] }))["data"]!.AsArray().Single()!.AsObject();
        detail["MaHoSo"]!.GetValue<string>().ShouldBe(codes[0]);
        detail["DonViXuLy"]!.GetValue<string>().ShouldBe("000.00.02.H56");
        var path = detail["TaiLieuNop"]!.AsArray()[0]!["DuongDanTaiTepTin"]!.GetValue<string>();

        var files = await PostAsync(mock, PortalMock.ServicePath, new { session, service = "LayTaiLieuHoSo", duongdanteptin = path });
        Convert.FromBase64String(files["TepTinDinhKem"]!.AsArray().Single()!["Base64"]!.GetValue<string>()).ShouldBe(PortalMock.FileContent(path));
    }

    [Fact]
    public async Task Pull_calls_without_a_session_are_refused()
    {
        await using var mock = await PortalMock.StartAsync();
        var reply = await PostAsync(mock, PortalMock.ServicePath, new { service = "DanhSachHoSo", donViXuLy = "000.00.02.H56", ngayNhan1 = "2026-01-01", ngayNhan2 = "2026-01-02" });
        reply["error_code"]!.GetValue<string>().ShouldBe(PortalMock.SessionInvalidErrorCode);
    }

    [Fact]
    public async Task Catalogue_lists_procedures_and_agencies()
    {
        await using var mock = await PortalMock.StartAsync();
        var session = await LoginAsync(mock);

        var procedures = (await PostAsync(mock, PortalMock.ServicePath, new { session, service = "LayDanhSachTTHC" }))["result"]!.AsArray();
        var agencies = (await PostAsync(mock, PortalMock.ServicePath, new { session, service = "LayDanhMucCoQuan" }))["result"]!.AsArray();

        procedures.Select(p => p!["MaTTHC"]!.GetValue<string>()).ShouldBe(PortalMock.DemoProcedures.Select(p => p.MaTTHC));
        agencies.Count.ShouldBe(PortalMock.DemoAgencies.Count);
    }

    [Fact]
    public async Task Status_pushed_back_is_recorded_once_per_idempotency_key_and_refused_for_an_unknown_dossier()
    {
        await using var mock = await PortalMock.StartAsync();
        var dossier = mock.SubmitOnline("000.00.01.H56");
        var session = await LoginAsync(mock);
        object Push(string maHoSo) => new
        {
            session, madonvi = "000.00.01.H56", service = "DongBoTrangThaiHoSo", type = "1",
            data = new[] { new { MaHoSo = maHoSo, TrangThai = "4", NgayXuLy = "20261127090000", TaiLieuXuLy = Array.Empty<object>() } },
        };

        (await PostAsync(mock, PortalMock.ServicePath, Push(dossier.MaHoSo), key: "k1"))["error_code"]!.GetValue<string>().ShouldBe("0");
        (await PostAsync(mock, PortalMock.ServicePath, Push(dossier.MaHoSo), key: "k1"))["error_code"]!.GetValue<string>().ShouldBe("0");
        (await PostAsync(mock, PortalMock.ServicePath, Push("000.00.01.H56-990101-0001"), key: "k2"))["message"]!.GetValue<string>().ShouldContain("không tồn tại");

        mock.FindOnline(dossier.MaHoSo)!.StatusPushes.Count.ShouldBe(1);
        mock.DuplicatesSuppressed.ShouldBe(1);
    }
}

public sealed class PostalTrackingMockTests
{
    [Fact]
    public async Task Advancing_moves_an_order_from_created_through_picked_up_and_in_transit_to_delivered_then_stops()
    {
        await using var mock = await PostalMock.StartAsync();
        mock.AdvanceTracking().ShouldBeEmpty();
        using var client = new MockClient(mock);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync());
        var order = new Dictionary<string, string>
        {
            ["CustomerCode"] = PostalMock.DemoCustomerCode, ["OrderNumber"] = "000.00.01.H56-261127-0001", ["SenderProvince"] = "38",
            ["SenderAddress"] = "1 Quảng trường", ["SenderName"] = "Một cửa", ["SenderTel"] = "0237000000", ["ReceiverName"] = "Người nhận",
            ["ReceiverAddress"] = "Số 2", ["ReceiverTel"] = "0912345678", ["ReceiverProvince"] = "38",
        };
        using var created = await client.Http.PostAsync(PostalMock.CreatePath.TrimStart('/'), new StringContent(JsonSerializer.Serialize(order), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.OK);

        var steps = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            steps.AddRange(mock.AdvanceTracking().Select(e => e.StatusCode));
        }

        steps.ShouldBe(["2", "3", "4"]);
    }
}
