using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OneStop.Mocks.Tests;

/// <summary>A plain HttpClient speaking to one mock the way an adapter would.</summary>
internal sealed class MockClient : IDisposable
{
    private readonly HttpClient _http;

    public MockClient(MockServer mock, TimeSpan? timeout = null, Uri? baseUrl = null)
    {
        Mock = mock;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = baseUrl ?? mock.Url,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public MockServer Mock { get; }

    public HttpClient Http => _http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    public async Task<HttpResponseMessage> RequestTokenAsync(string id = MockServer.DemoClientId, string secret = MockServer.DemoClientSecret, string grant = "client_credentials")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", grant)]),
        };
        request.Headers.Authorization = Basic(id, secret);
        return await _http.SendAsync(request, Ct);
    }

    public async Task<string> TokenAsync()
    {
        using var response = await RequestTokenAsync();
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The mock's own business call with a sample that exists, with a fresh token unless one is given.</summary>
    public async Task<HttpResponseMessage> BusinessCallAsync(string? token = null, bool authorize = true)
    {
        using var request = SampleRequest(Mock);
        if (authorize)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync());
        }

        return await _http.SendAsync(request, Ct);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request, Ct);
    }

    public static HttpRequestMessage SampleRequest(MockServer mock) => mock switch
    {
        PopulationMock => Population(new
        {
            MaYeuCau = "t-1", MaDVC = "1.001234.000.00.00.H56", MaTichHop = "onestop", MaDonVi = "000.00.01.H56", MaCanBo = "cb01",
            SoDinhDanh = DocumentedSamples.CitizenSoDinhDanh, SoCMND = "", HoVaTen = DocumentedSamples.CitizenHoVaTen, NgayThangNamSinh = "1985-03-15",
        }),
        BusinessMock => Business(DocumentedSamples.BusinessMaSoDoanhNghiep),
        InsuranceMock => Insurance(new { MaSoBHXH = DocumentedSamples.CitizenMaSoBHXH }),
        LandMock => Land(DocumentedSamples.LandMaPhuongXa, DocumentedSamples.LandSoHieuBanDo, DocumentedSamples.LandSoThuTuThua),
        _ => throw new ArgumentOutOfRangeException(nameof(mock)),
    };

    public static HttpRequestMessage Population(object body) =>
        new(HttpMethod.Post, "api/dancu/xacthuc") { Content = Json(body) };

    public static HttpRequestMessage Business(string msdn) =>
        new(HttpMethod.Get, $"api/doanhnghiep/chiTietDoanhNghiep?msdn={Uri.EscapeDataString(msdn)}");

    public static HttpRequestMessage Insurance(object body) =>
        new(HttpMethod.Post, "api/bhxh/tracuu") { Content = Json(body) };

    /// <summary>JSON with the property names exactly as written (JsonContent.Create would camel-case them).</summary>
    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static HttpRequestMessage Land(string commune, int sheet, int parcel) =>
        new(HttpMethod.Get, $"api/datdai/thuadat?maPhuongXa={commune}&soHieuBanDo={sheet}&soThuTuThua={parcel}");

    public async Task<JsonDocument> JsonAsync(HttpRequestMessage request, string? token, int expectedStatus = 200)
    {
        using var response = await SendAsync(request, token);
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(expectedStatus, body);
        return JsonDocument.Parse(body);
    }

    public void Dispose() => _http.Dispose();
}
