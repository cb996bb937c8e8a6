using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using OneStop.Mocks.Internal;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace OneStop.Mocks;

/// <summary>
/// A provincial civil-status registry (CSDL hộ tịch điện tử) that the hub has no adapter for: the upstream an
/// integrator adds with configuration and mapping files only (docs/mappings.md, "A new upstream without code").
/// It answers birth registrations (khai sinh) two ways:
/// <list type="bullet">
/// <item><c>POST /api/hotich/khaisinh/tracuu</c>, JSON <c>{maTinh, soDangKy | soDinhDanh, …}</c>, Bearer token from
/// <c>POST /token</c> (client credentials <see cref="MockServer.DemoClientId"/>/<see cref="MockServer.DemoClientSecret"/>);
/// reply <c>{errorCode:"00", errorMessage, data}</c>, <c>data</c> null when not found, errorCode "05" for a province it does not hold.</item>
/// <item><c>POST /HoTichService.svc</c>, SOAP 1.1 operation <c>TraCuuKhaiSinh</c> in <see cref="SoapNamespace"/>, no
/// authentication; a request without SoDangKy or SoDinhDanh gets a <c>soap:Client</c> fault.</item>
/// </list>
/// Synthetic data only.
/// </summary>
public sealed class CivilStatusMock : IAsyncDisposable
{
    public const string RestPath = "/api/hotich/khaisinh/tracuu";
    public const string SoapPath = "/HoTichService.svc";
    public const string SoapNamespace = "http://hotich.lgsp.gov.vn/v1";

    /// <summary>Its fixed port in the standalone fakes runner (<c>dotnet run --project mocks/OneStop.Mocks</c>), where the example definitions point.</summary>
    public const int StandalonePort = 5098;

    /// <summary>The only province this registry holds (Thanh Hóa).</summary>
    public const string Province = "38";

    private static readonly XmlReaderSettings SafeXml = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private static readonly Birth[] Births =
    [
        new("125/2026", "01/2026", "20260120093000", "UBND phường Hạc Thành", "Nguyễn", "Văn", "Bảo", "1", "15/01/2026",
            "Bệnh viện Đa khoa tỉnh Thanh Hóa", "038226000456", "1", new("Nguyễn Văn An", "038085000123"), new("Trần Thị Mai", "038187000321")),
        new("126/2026", "01/2026", "20260203141500", "UBND phường Hạc Thành", "Lê", "Thị", "Hoa", "2", "28/01/2026",
            "Trạm y tế phường Hạc Thành", "038326000789", "2", null, new("Lê Thị Lan", "038190000654")),
    ];

    private readonly TokenStore _tokens = new(TimeProvider.System);
    private readonly WireMockServer _server;
    private int _calls;

    private CivilStatusMock(WireMockServer server)
    {
        _server = server;
    }

    /// <summary>The address clients use, e.g. <c>http://127.0.0.1:5098/</c>.</summary>
    public Uri Url => new(_server.Url! + "/");

    /// <summary>Business calls answered (REST and SOAP).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Starts the registry on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<CivilStatusMock> StartAsync(int port = 0)
    {
        var server = await Task.Run(() => WireMockServer.Start(new WireMockServerSettings
        {
            Urls = [$"http://127.0.0.1:{port}"],
            StartAdminInterface = false,
            Logger = new WireMockNullLogger(),
            MaxRequestLogCount = 0,
            DisableJsonBodyParsing = true,
            DisableDeserializeFormUrlEncoded = true,
        })).ConfigureAwait(false);
        var mock = new CivilStatusMock(server);
        server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithCallback(mock.IssueToken));
        server.Given(Request.Create().WithPath(RestPath).UsingPost()).RespondWith(Response.Create().WithCallback(mock.AnswerRest));
        server.Given(Request.Create().WithPath(SoapPath).UsingPost()).RespondWith(Response.Create().WithCallback(mock.AnswerSoap));
        return mock;
    }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    private IResponseMessage IssueToken(IRequestMessage request)
    {
        if (!Http.TryBasicCredentials(request, out var id, out var secret) || id != MockServer.DemoClientId || secret != MockServer.DemoClientSecret)
        {
            return Http.Json(401, """{"error":"invalid_client"}""");
        }

        return Http.Json(200, $$"""{"access_token":"{{_tokens.Issue(TimeSpan.FromHours(1))}}","token_type":"Bearer","expires_in":3600}""");
    }

    private IResponseMessage AnswerRest(IRequestMessage request)
    {
        Interlocked.Increment(ref _calls);
        if (Http.BearerToken(request) is not { } token || !_tokens.IsValid(token))
        {
            return Http.Json(401, """{"error":"invalid_token"}""");
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(Http.Body(request)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return Http.Json(400, """{"errorCode":"01","errorMessage":"Yêu cầu không hợp lệ"}""");
        }

        if (Text(body["maTinh"]) != Province)
        {
            return Http.Json(200, """{"errorCode":"05","errorMessage":"Mã tỉnh không thuộc phạm vi cơ sở dữ liệu","data":null}""");
        }

        var birth = Find(Text(body["soDangKy"]), Text(body["soDinhDanh"]));
        var reply = new JsonObject { ["errorCode"] = "00", ["errorMessage"] = "", ["data"] = birth is null ? null : ToJson(birth) };
        return Http.Json(200, reply.ToJsonString());
    }

    private IResponseMessage AnswerSoap(IRequestMessage request)
    {
        Interlocked.Increment(ref _calls);
        XElement? operation;
        try
        {
            using var reader = XmlReader.Create(new StringReader(Http.Body(request)), SafeXml);
            operation = XDocument.Load(reader).Descendants(XName.Get("TraCuuKhaiSinh", SoapNamespace)).FirstOrDefault();
        }
        catch (XmlException)
        {
            operation = null;
        }

        var number = operation?.Element(XName.Get("SoDangKy", SoapNamespace))?.Value;
        var id = operation?.Element(XName.Get("SoDinhDanh", SoapNamespace))?.Value;
        if (operation is null || (string.IsNullOrWhiteSpace(number) && string.IsNullOrWhiteSpace(id)))
        {
            return Xml(500, Envelope(
                "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Cần SoDangKy hoặc SoDinhDanh</faultstring></soap:Fault>"));
        }

        var birth = Find(number, id);
        var result = birth is null ? "<KetQua>00</KetQua>" : $"<KetQua>00</KetQua>{ToXml(birth)}";
        return Xml(200, Envelope(
            $"<TraCuuKhaiSinhResponse xmlns=\"{SoapNamespace}\"><TraCuuKhaiSinhResult>{result}</TraCuuKhaiSinhResult></TraCuuKhaiSinhResponse>"));
    }

    private static Birth? Find(string? number, string? id) =>
        Births.FirstOrDefault(b => (!string.IsNullOrWhiteSpace(number) && b.SoDangKy == number.Trim())
                                   || (!string.IsNullOrWhiteSpace(id) && b.SoDinhDanh == id.Trim()));

    private static JsonObject ToJson(Birth b) => new()
    {
        ["soDangKy"] = b.SoDangKy,
        ["quyenSo"] = b.QuyenSo,
        ["ngayDangKy"] = b.NgayDangKy,
        ["coQuanDangKy"] = b.CoQuanDangKy,
        ["loaiDangKy"] = b.LoaiDangKy,
        ["hoTen"] = new JsonObject { ["ho"] = b.Ho, ["chuDem"] = b.ChuDem, ["ten"] = b.Ten },
        ["gioiTinh"] = b.GioiTinh,
        ["ngaySinh"] = b.NgaySinh,
        ["noiSinh"] = b.NoiSinh,
        ["soDinhDanh"] = b.SoDinhDanh,
        ["cha"] = b.Cha is null ? null : new JsonObject { ["hoTen"] = b.Cha.HoTen, ["soDinhDanh"] = b.Cha.SoDinhDanh },
        ["me"] = b.Me is null ? null : new JsonObject { ["hoTen"] = b.Me.HoTen, ["soDinhDanh"] = b.Me.SoDinhDanh },
    };

    private static string ToXml(Birth b)
    {
        var x = new XElement("KhaiSinh",
            new XElement("SoDangKy", b.SoDangKy),
            new XElement("QuyenSo", b.QuyenSo),
            new XElement("NgayDangKy", b.NgayDangKy),
            new XElement("CoQuanDangKy", b.CoQuanDangKy),
            new XElement("LoaiDangKy", b.LoaiDangKy),
            new XElement("HoTen", b.Ho + " " + b.ChuDem + " " + b.Ten),
            new XElement("GioiTinh", b.GioiTinh),
            new XElement("NgaySinh", b.NgaySinh),
            new XElement("NoiSinh", b.NoiSinh),
            new XElement("SoDinhDanh", b.SoDinhDanh),
            b.Cha is null ? null : new XElement("Cha", new XElement("HoTen", b.Cha.HoTen), new XElement("SoDinhDanh", b.Cha.SoDinhDanh)),
            b.Me is null ? null : new XElement("Me", new XElement("HoTen", b.Me.HoTen), new XElement("SoDinhDanh", b.Me.SoDinhDanh)));
        foreach (var element in x.DescendantsAndSelf())
        {
            element.Name = XName.Get(element.Name.LocalName, SoapNamespace);
        }

        return x.ToString(SaveOptions.DisableFormatting).Replace($" xmlns=\"{SoapNamespace}\"", "", StringComparison.Ordinal);
    }

    private static string Envelope(string body) =>
        $"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>{body}</soap:Body></soap:Envelope>";

    private static ResponseMessage Xml(int status, string xml) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new("text/xml; charset=utf-8"),
        },
        BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = Encoding.UTF8.GetBytes(xml) },
    };

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();

    private sealed record Parent(string HoTen, string SoDinhDanh);

    private sealed record Birth(
        string SoDangKy, string QuyenSo, string NgayDangKy, string CoQuanDangKy, string Ho, string ChuDem, string Ten, string GioiTinh,
        string NgaySinh, string NoiSinh, string SoDinhDanh, string LoaiDangKy, Parent? Cha, Parent? Me);
}
