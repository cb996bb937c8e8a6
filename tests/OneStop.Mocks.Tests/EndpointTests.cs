using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;

namespace OneStop.Mocks.Tests;

public sealed class TokenEndpointTests(MocksFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Systems => ["population", "business", "insurance", "land"];

    private MockServer Mock(string name) => fixture.Mocks.All.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Token_with_demo_credentials_is_a_bearer_token_for_an_hour(string system)
    {
        using var client = new MockClient(Mock(system));
        using var response = await client.RequestTokenAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("access_token").GetString().ShouldNotBeNullOrWhiteSpace();
        json.RootElement.GetProperty("token_type").GetString().ShouldBe("Bearer");
        json.RootElement.GetProperty("expires_in").GetInt32().ShouldBe(3600);
    }

    [Theory]
    [InlineData("onestop-hub", "wrong-secret")]
    [InlineData("someone-else", "onestop-hub-secret")]
    [InlineData("", "")]
    public async Task Token_with_bad_credentials_is_refused_with_401(string id, string secret)
    {
        using var client = new MockClient(Mock("business"));
        using var response = await client.RequestTokenAsync(id, secret);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"error":"invalid_client"}""");
    }

    [Fact]
    public async Task Token_without_basic_authentication_is_refused_with_401()
    {
        using var client = new MockClient(Mock("land"));
        using var response = await client.Http.PostAsync("token", new FormUrlEncodedContent([new("grant_type", "client_credentials")]), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_with_another_grant_type_is_refused_with_400()
    {
        using var client = new MockClient(Mock("insurance"));
        using var response = await client.RequestTokenAsync(grant: "password");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"error":"unsupported_grant_type"}""");
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Business_call_without_a_token_gets_401_invalid_token(string system)
    {
        using var client = new MockClient(Mock(system));
        using var response = await client.BusinessCallAsync(authorize: false);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"error":"invalid_token"}""");
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Business_call_with_an_unknown_token_gets_401_invalid_token(string system)
    {
        using var client = new MockClient(Mock(system));
        using var response = await client.BusinessCallAsync(token: "not-a-token-this-mock-issued");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"error":"invalid_token"}""");
    }

    [Fact]
    public async Task A_token_from_one_mock_is_not_accepted_by_another()
    {
        using var population = new MockClient(Mock("population"));
        using var land = new MockClient(Mock("land"));
        using var response = await land.BusinessCallAsync(token: await population.TokenAsync());
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Basic_credentials_in_another_case_of_scheme_are_accepted()
    {
        using var client = new MockClient(Mock("population"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "token") { Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("basic", MockClient.Basic(MockServer.DemoClientId, MockServer.DemoClientSecret).Parameter);
        using var response = await client.Http.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class PopulationEndpointTests(MocksFixture fixture) : IDisposable
{
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private readonly MockClient _client = new(fixture.Mocks.Population);

    private static object Query(string? id = null, string? cmnd = null, string? name = null, string? birth = null) => new
    {
        MaYeuCau = "req-1", MaDVC = "1.001234.000.00.00.H56", MaTichHop = "onestop", MaDonVi = "000.00.01.H56", MaCanBo = "cb01",
        SoDinhDanh = id ?? "", SoCMND = cmnd ?? "", HoVaTen = name ?? "", NgayThangNamSinh = birth ?? "",
    };

    private async Task<XElement?> LookUpAsync(object query)
    {
        using var json = await _client.JsonAsync(MockClient.Population(query), await _client.TokenAsync());
        json.RootElement.GetProperty("error_code").GetInt32().ShouldBe(0);
        var envelope = XDocument.Parse(json.RootElement.GetProperty("message").GetString()!);
        envelope.Root!.Name.ShouldBe(Soap + "Envelope");
        var collection = envelope.Root.Element(Soap + "Body").ShouldNotBeNull().Element("CongdanCollection").ShouldNotBeNull();
        return collection.Elements("CongDan").SingleOrDefault();
    }

    [Fact]
    public async Task Lookup_of_the_documented_citizen_answers_a_SOAP_CongDan_in_JSON()
    {
        var citizen = await LookUpAsync(Query("038085000123", name: "Nguyễn Văn An", birth: "1985-03-15"));
        citizen.ShouldNotBeNull();
        citizen.Element("SoDinhDanh")!.Value.ShouldBe("038085000123");
        citizen.Element("SoCMND")!.Value.ShouldBe(DocumentedSamples.CitizenSoCMND);
        citizen.Element("HoVaTen")!.Value.ShouldBe("Nguyễn Văn An");
        citizen.Element("GioiTinh")!.Value.ShouldBe("1");
        citizen.Element("DanToc")!.Value.ShouldBe("Kinh");
        citizen.Element("TonGiao")!.Value.ShouldNotBeNullOrEmpty();
        citizen.Element("QuocTich")!.Value.ShouldBe("Việt Nam");
        citizen.Element("NgayThangNamSinh")!.Element("Nam")!.Value.ShouldBe("1985");
        citizen.Element("NgayThangNamSinh")!.Element("NgayThangNam")!.Value.ShouldBe("19850315");
        citizen.Element("ThuongTru")!.Element("MaTinhThanh")!.Value.ShouldBe("38");
        citizen.Element("ThuongTru")!.Element("MaPhuongXa")!.Value.ShouldBe("16012");
        citizen.Element("ThuongTru")!.Element("ChiTiet")!.Value.ShouldNotBeNullOrEmpty();
        citizen.Element("NoiOHienTai")!.Element("MaPhuongXa")!.Value.ShouldBe("16012");
        citizen.Element("ChuHo")!.Element("QuanHe")!.Value.ShouldBe("Chủ hộ");
        citizen.Element("ChuHo")!.Element("SoDinhDanh")!.Value.ShouldBe("038085000123");
        citizen.Element("VoChong")!.Element("SoDinhDanh")!.Value.ShouldNotBeNullOrEmpty();
        citizen.Element("Cha")!.Element("HoVaTen")!.Value.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Reply_is_raw_JSON_whose_message_is_an_escaped_XML_string()
    {
        using var response = await _client.SendAsync(MockClient.Population(Query("038085000123")), await _client.TokenAsync());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.ShouldStartWith("""{"error_code":0,"message":"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">""");
        body.ShouldContain("Nguyễn Văn An");
    }

    [Theory]
    [InlineData("1985")]
    [InlineData("1985-03-15")]
    [InlineData("")]
    public async Task Birth_date_matches_to_the_precision_given(string birth) =>
        (await LookUpAsync(Query("038085000123", name: "Nguyễn Văn An", birth: birth))).ShouldNotBeNull();

    [Theory]
    [InlineData("1986")]
    [InlineData("1985-03-16")]
    public async Task A_different_birth_date_finds_nobody(string birth) =>
        (await LookUpAsync(Query("038085000123", birth: birth))).ShouldBeNull();

    [Theory]
    [InlineData("Nguyễn Văn An", true)]
    [InlineData("  Nguyễn Văn An  ", true)]
    [InlineData("nguyễn văn an", false)]
    [InlineData("Nguyen Van An", false)]
    [InlineData("Nguyễn Văn Anh", false)]
    public async Task Name_is_compared_exactly_after_trimming(string name, bool found) =>
        ((await LookUpAsync(Query("038085000123", name: name))) is not null).ShouldBe(found);

    [Fact]
    public async Task Lookup_by_old_identity_card_number_finds_the_citizen()
    {
        var citizen = await LookUpAsync(Query(cmnd: DocumentedSamples.CitizenSoCMND, name: "Nguyễn Văn An"));
        citizen.ShouldNotBeNull().Element("SoDinhDanh")!.Value.ShouldBe("038085000123");
    }

    [Fact]
    public async Task SoDinhDanh_with_another_citizens_SoCMND_finds_nobody() =>
        (await LookUpAsync(Query("038085000123", cmnd: DocumentedSamples.AbsentSoCMND))).ShouldBeNull();

    [Fact]
    public async Task Unknown_citizen_gives_an_empty_CongdanCollection() =>
        (await LookUpAsync(Query(DocumentedSamples.AbsentSoDinhDanh))).ShouldBeNull();

    [Fact]
    public async Task Every_citizen_of_a_sample_is_found_with_its_own_fields()
    {
        foreach (var c in fixture.Mocks.Data.Citizens.Where((_, i) => i % 97 == 0))
        {
            var found = (await LookUpAsync(Query(c.SoDinhDanh, name: c.HoVaTen, birth: c.NgaySinh.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))).ShouldNotBeNull();
            found.Element("HoVaTen")!.Value.ShouldBe(c.HoVaTen);
            found.Element("GioiTinh")!.Value.ShouldBe(((int)c.GioiTinh).ToString(CultureInfo.InvariantCulture));
            found.Element("SoCMND")!.Value.ShouldBe(c.SoCMND ?? "");
            (found.Element("VoChong") is not null).ShouldBe(c.VoChong is not null);
        }
    }

    [Theory]
    [InlineData("15/03/1985")]
    [InlineData("85")]
    public async Task Birth_date_in_another_format_is_an_upstream_error(string birth)
    {
        using var json = await _client.JsonAsync(MockClient.Population(Query("038085000123", birth: birth)), await _client.TokenAsync());
        json.RootElement.GetProperty("error_code").GetInt32().ShouldBe(PopulationMock.InvalidRequestErrorCode);
    }

    [Fact]
    public async Task Request_without_any_identifier_is_an_upstream_error()
    {
        using var json = await _client.JsonAsync(MockClient.Population(Query(name: "Nguyễn Văn An")), await _client.TokenAsync());
        json.RootElement.GetProperty("error_code").GetInt32().ShouldBe(PopulationMock.InvalidRequestErrorCode);
        json.RootElement.GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
    }

    public void Dispose() => _client.Dispose();
}

public sealed class BusinessEndpointTests(MocksFixture fixture) : IDisposable
{
    private readonly MockClient _client = new(fixture.Mocks.Business);

    [Fact]
    public async Task Lookup_of_the_documented_business_answers_GetEntCert()
    {
        using var json = await _client.JsonAsync(MockClient.Business("2801234564"), await _client.TokenAsync());
        var cert = json.RootElement.GetProperty("GetEntCert");
        cert.GetProperty("MaSoDoanhNghiep").GetString().ShouldBe("2801234564");
        cert.GetProperty("SoGCNDKKD").GetString().ShouldBe("2801234564");
        cert.GetProperty("TenTiengViet").GetString().ShouldBe("Công ty TNHH Một Cửa Số");
        cert.GetProperty("MaLoaiHinhDN").GetString().ShouldBe("2");
        cert.GetProperty("NgayDangKyLanDau").GetString().ShouldBe("2015-06-01");
        cert.GetProperty("TinhTrangPhapLy").GetString().ShouldBe("Đang hoạt động");
        var rep = cert.GetProperty("DaiDienPhapLuat")[0];
        rep.GetProperty("HoVaTen").GetString().ShouldBe("Nguyễn Văn An");
        rep.GetProperty("ChucDanh").GetString().ShouldBe("Giám đốc");
        rep.GetProperty("SoDinhDanh").GetString().ShouldBe("038085000123");
        var address = cert.GetProperty("DiaChiTruSo")[0];
        address.GetProperty("MaTinhThanh").GetString().ShouldBe("38");
        address.GetProperty("MaPhuongXa").GetString().ShouldBe("16012");
        address.GetProperty("ChiTiet").GetString().ShouldNotBeNullOrEmpty();
        var line = cert.GetProperty("NganhNgheKinhDoanh")[0];
        line.GetProperty("MaNganh").GetString().ShouldBe("6201");
        line.GetProperty("TenNganh").GetString().ShouldBe("Lập trình máy vi tính");
        line.GetProperty("LaNganhChinh").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Unregistered_business_answers_GetEntCert_null()
    {
        using var json = await _client.JsonAsync(MockClient.Business(DocumentedSamples.AbsentMaSoDoanhNghiep), await _client.TokenAsync());
        json.RootElement.GetProperty("GetEntCert").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Every_sampled_business_is_found_with_its_own_name()
    {
        var token = await _client.TokenAsync();
        foreach (var b in fixture.Mocks.Data.Businesses.Where((_, i) => i % 23 == 0))
        {
            using var json = await _client.JsonAsync(MockClient.Business(b.MaSoDoanhNghiep), token);
            json.RootElement.GetProperty("GetEntCert").GetProperty("TenTiengViet").GetString().ShouldBe(b.TenTiengViet);
        }
    }

    [Fact]
    public async Task Lookup_without_msdn_is_a_bad_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/doanhnghiep/chiTietDoanhNghiep");
        using var json = await _client.JsonAsync(request, await _client.TokenAsync(), expectedStatus: 400);
    }

    public void Dispose() => _client.Dispose();
}

public sealed class InsuranceEndpointTests(MocksFixture fixture) : IDisposable
{
    private readonly MockClient _client = new(fixture.Mocks.Insurance);

    private async Task<JsonElement[]> LookUpAsync(object query)
    {
        using var json = await _client.JsonAsync(MockClient.Insurance(query), await _client.TokenAsync());
        json.RootElement.GetProperty("error_code").GetString().ShouldBe("0");
        json.RootElement.GetProperty("message").GetString().ShouldBe("OK");
        return json.RootElement.GetProperty("result").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public async Task Lookup_by_MaSoBHXH_answers_the_documented_record()
    {
        var record = (await LookUpAsync(new { MaSoBHXH = "3820000123" })).ShouldHaveSingleItem();
        record.GetProperty("MaSoBHXH").GetString().ShouldBe("3820000123");
        record.GetProperty("SoDinhDanh").GetString().ShouldBe("038085000123");
        record.GetProperty("HoTen").GetString().ShouldBe("Nguyễn Văn An");
        record.GetProperty("NgaySinh").GetString().ShouldBe("15/03/1985");
        record.GetProperty("GioiTinh").GetString().ShouldBe("1");

        var periods = record.GetProperty("QuaTrinhThamGia").EnumerateArray().ToArray();
        periods.Length.ShouldBeGreaterThanOrEqualTo(1);
        periods.ShouldContain(p => p.GetProperty("MaSoThue").GetString() == "2801234564" && p.GetProperty("LoaiHinh").GetString() == "BB");
        foreach (var p in periods)
        {
            p.GetProperty("TuThang").GetString()!.ShouldMatch(@"^\d{2}/\d{4}$");
            p.GetProperty("DenThang").GetString()!.ShouldMatch(@"^\d{2}/\d{4}$");
            p.GetProperty("TenDonVi").GetString().ShouldNotBeNullOrEmpty();
        }

        var card = record.GetProperty("TheBHYT");
        card.GetProperty("MaThe").GetString().ShouldBe("DN4383820000123");
        card.GetProperty("NoiDangKyKCB").GetString().ShouldBe("38001");
        var year = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).Year;
        card.GetProperty("GiaTriTu").GetString().ShouldBe($"01/01/{year}");
        card.GetProperty("GiaTriDen").GetString().ShouldBe($"31/12/{year}");
    }

    [Fact]
    public async Task Lookup_by_SoDinhDanh_answers_the_same_record()
    {
        var record = (await LookUpAsync(new { SoDinhDanh = "038085000123" })).ShouldHaveSingleItem();
        record.GetProperty("MaSoBHXH").GetString().ShouldBe("3820000123");
    }

    [Theory]
    [InlineData("3899999999", null)]
    [InlineData(null, "038085999999")]
    [InlineData("3820000123", "038085999999")]
    public async Task Unknown_person_gives_an_empty_result(string? number, string? id) =>
        (await LookUpAsync(new { MaSoBHXH = number, SoDinhDanh = id })).ShouldBeEmpty();

    [Fact]
    public async Task Request_without_any_identifier_is_an_upstream_error()
    {
        using var json = await _client.JsonAsync(MockClient.Insurance(new { }), await _client.TokenAsync());
        json.RootElement.GetProperty("error_code").GetString().ShouldBe(InsuranceMock.InvalidRequestErrorCode);
        json.RootElement.GetProperty("result").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Every_sampled_record_is_found_by_both_identifiers()
    {
        foreach (var r in fixture.Mocks.Data.InsuranceRecords.Where((_, i) => i % 61 == 0))
        {
            var byNumber = (await LookUpAsync(new { r.MaSoBHXH })).ShouldHaveSingleItem();
            var byId = (await LookUpAsync(new { r.SoDinhDanh })).ShouldHaveSingleItem();
            byNumber.GetRawText().ShouldBe(byId.GetRawText());
            byNumber.GetProperty("QuaTrinhThamGia").GetArrayLength().ShouldBe(r.QuaTrinhThamGia.Count);
        }
    }

    public void Dispose() => _client.Dispose();
}

public sealed class LandEndpointTests(MocksFixture fixture) : IDisposable
{
    private readonly MockClient _client = new(fixture.Mocks.Land);

    [Fact]
    public async Task Lookup_of_the_documented_parcel_answers_data_and_status()
    {
        using var json = await _client.JsonAsync(MockClient.Land("16012", 12, 345), await _client.TokenAsync());
        var data = json.RootElement.GetProperty("data");
        data.GetProperty("SoThuTuThua").GetInt32().ShouldBe(345);
        data.GetProperty("SoHieuBanDo").GetInt32().ShouldBe(12);
        data.GetProperty("MaPhuongXa").GetString().ShouldBe("16012");
        data.GetProperty("DienTich").GetDouble().ShouldBe(152.4);
        data.GetProperty("DiaChiChiTiet").GetString().ShouldNotBeNullOrEmpty();
        data.GetProperty("MucDichSuDung").GetString().ShouldBe("ODT");
        var certificate = data.GetProperty("GiayChungNhan");
        certificate.GetProperty("SoPhatHanh").GetString().ShouldBe("CS 123456");
        certificate.GetProperty("SoVaoSo").GetString().ShouldBe("CS01234");
        certificate.GetProperty("NgayCap").GetString().ShouldBe("2019-08-20");
        certificate.GetProperty("ChuSuDung")[0].GetProperty("SoDinhDanh").GetString().ShouldBe("038085000123");
        var status = json.RootElement.GetProperty("status");
        status.GetProperty("success").GetBoolean().ShouldBeTrue();
        status.GetProperty("code").GetString().ShouldBe("200");
        status.GetProperty("message").GetString().ShouldBe("OK");
    }

    [Fact]
    public async Task Unknown_parcel_answers_data_null_and_status_404()
    {
        using var response = await _client.SendAsync(MockClient.Land("16012", DocumentedSamples.AbsentSoHieuBanDo, 345), await _client.TokenAsync());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .ShouldBe("""{"data":null,"status":{"success":false,"code":"404","message":"Không tìm thấy thửa đất"}}""");
    }

    [Fact]
    public async Task Every_sampled_parcel_is_found()
    {
        var token = await _client.TokenAsync();
        foreach (var p in fixture.Mocks.Data.LandParcels.Where((_, i) => i % 41 == 0))
        {
            using var json = await _client.JsonAsync(MockClient.Land(p.MaPhuongXa, p.SoHieuBanDo, p.SoThuTuThua), token);
            json.RootElement.GetProperty("data").GetProperty("GiayChungNhan").GetProperty("SoPhatHanh").GetString().ShouldBe(p.GiayChungNhan.SoPhatHanh);
        }
    }

    [Fact]
    public async Task Lookup_with_a_non_numeric_map_sheet_is_a_bad_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/datdai/thuadat?maPhuongXa=16012&soHieuBanDo=abc&soThuTuThua=345");
        using var json = await _client.JsonAsync(request, await _client.TokenAsync(), expectedStatus: 400);
        json.RootElement.GetProperty("status").GetProperty("code").GetString().ShouldBe("400");
    }

    public void Dispose() => _client.Dispose();
}

public sealed class NationalMocksTests(MocksFixture fixture)
{
    [Fact]
    public void Starts_the_four_systems_on_distinct_loopback_ports()
    {
        var mocks = fixture.Mocks;
        mocks.All.Select(m => m.Name).ShouldBe(["population", "business", "insurance", "land"]);
        mocks.All.ShouldAllBe(m => m.Url.Host == "127.0.0.1" && m.ControlUrl.Host == "127.0.0.1");
        mocks.All.Select(m => m.Url.Port).ShouldBeUnique();
        mocks.All.ShouldAllBe(m => m.Data == SyntheticDataset.Default);
        mocks.Population.BusinessEndpoint.ShouldBe("POST /api/dancu/xacthuc");
        mocks.Business.BusinessEndpoint.ShouldBe("GET /api/doanhnghiep/chiTietDoanhNghiep");
        mocks.Insurance.BusinessEndpoint.ShouldBe("POST /api/bhxh/tracuu");
        mocks.Land.BusinessEndpoint.ShouldBe("GET /api/datdai/thuadat");
    }

    [Fact]
    public void Standalone_ports_are_the_documented_ones() =>
        NationalMockPorts.Standalone.ShouldBe(new NationalMockPorts { Population = 5091, Business = 5092, Insurance = 5093, Land = 5094 });

    [Fact]
    public async Task Starting_on_a_port_in_use_fails_and_stops_the_mocks_already_started()
    {
        var taken = fixture.Mocks.Insurance.Url.Port;
        var ex = await Should.ThrowAsync<System.Net.Sockets.SocketException>(() =>
            NationalMocks.StartAsync(SyntheticDataset.Default, new NationalMockPorts { Insurance = taken }));
        ex.SocketErrorCode.ShouldBe(System.Net.Sockets.SocketError.AddressAlreadyInUse);
    }
}
