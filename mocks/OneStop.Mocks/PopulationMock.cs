using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using OneStop.Mocks.Internal;
using WireMock;

namespace OneStop.Mocks;

/// <summary>
/// The national population database (CSDLQG về dân cư): <c>POST /api/dancu/xacthuc</c>, answering
/// <c>{"error_code":0,"message":"&lt;soap:Envelope…&gt;"}</c> with a <c>CongdanCollection</c> of zero or one <c>CongDan</c>.
/// </summary>
public sealed class PopulationMock : MockServer
{
    /// <summary>SOAP 1.1 envelope namespace, bound to the prefix <c>soap</c>. Everything inside the Body is in no namespace.</summary>
    public const string SoapEnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary><c>error_code</c> for a request the database cannot read (bad JSON, no identifier, bad birth date).</summary>
    public const int InvalidRequestErrorCode = 1;

    private static readonly XNamespace Soap = SoapEnvelopeNamespace;

    private PopulationMock(SyntheticDataset data, TimeProvider? timeProvider)
        : base("population", data, timeProvider)
    {
    }

    /// <summary>Starts the mock on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<PopulationMock> StartAsync(SyntheticDataset data, int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new PopulationMock(data, timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    private protected override string BusinessMethod => "POST";

    private protected override string BusinessPath => "/api/dancu/xacthuc";

    private protected override MockReply Answer(IRequestMessage request)
    {
        PopulationRequest? query;
        try
        {
            query = JsonSerializer.Deserialize(Http.Body(request), WireJsonContext.Wire.PopulationRequest);
        }
        catch (JsonException)
        {
            return Error("Yêu cầu không phải JSON hợp lệ.");
        }

        if (query is null)
        {
            return Error("Yêu cầu rỗng.");
        }

        var id = query.SoDinhDanh?.Trim();
        var cmnd = query.SoCMND?.Trim();
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(cmnd))
        {
            return Error("Thiếu SoDinhDanh hoặc SoCMND.");
        }

        var birth = query.NgayThangNamSinh?.Trim();
        if (!string.IsNullOrEmpty(birth) && !IsBirthDateFormat(birth))
        {
            return Error("NgayThangNamSinh phải có dạng yyyy-MM-dd hoặc yyyy.");
        }

        var citizen = !string.IsNullOrEmpty(id) ? Data.FindCitizen(id) : Data.FindCitizenBySoCMND(cmnd!);
        if (citizen is not null && !Matches(citizen, cmnd, query.HoVaTen?.Trim(), birth))
        {
            citizen = null;
        }

        return MockReply.Of(200, new PopulationReply(0, Envelope(citizen)), WireJsonContext.Wire.PopulationReply);
    }

    /// <summary>Every field given must match: SoCMND exactly, the name exactly (ordinal, after trimming), the birth date to the precision given.</summary>
    private static bool Matches(Citizen citizen, string? cmnd, string? name, string? birth)
    {
        if (!string.IsNullOrEmpty(cmnd) && !string.Equals(cmnd, citizen.SoCMND, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(name) && !string.Equals(name, citizen.HoVaTen, StringComparison.Ordinal))
        {
            return false;
        }

        if (string.IsNullOrEmpty(birth))
        {
            return true;
        }

        return birth.Length == 4
            ? int.Parse(birth, NumberStyles.None, CultureInfo.InvariantCulture) == citizen.NgaySinh.Year
            : DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture) == citizen.NgaySinh;
    }

    private static bool IsBirthDateFormat(string birth) =>
        (birth.Length == 4 && birth.All(char.IsAsciiDigit))
        || DateOnly.TryParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static MockReply Error(string message) =>
        MockReply.Of(200, new PopulationReply(InvalidRequestErrorCode, message), WireJsonContext.Wire.PopulationReply);

    /// <summary>The SOAP envelope the database puts in <c>message</c>, without an XML declaration.</summary>
    internal static string Envelope(Citizen? citizen)
    {
        var envelope = new XElement(
            Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "soap", SoapEnvelopeNamespace),
            new XElement(Soap + "Body", new XElement("CongdanCollection", citizen is null ? null : CongDan(citizen))));
        return envelope.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement CongDan(Citizen c) => new(
        "CongDan",
        new XElement("SoDinhDanh", c.SoDinhDanh),
        new XElement("SoCMND", c.SoCMND ?? string.Empty),
        new XElement("HoVaTen", c.HoVaTen),
        new XElement("GioiTinh", ((int)c.GioiTinh).ToString(CultureInfo.InvariantCulture)),
        new XElement("DanToc", c.DanToc),
        new XElement("TonGiao", c.TonGiao),
        new XElement(
            "NgayThangNamSinh",
            new XElement("Nam", c.NgaySinh.Year.ToString(CultureInfo.InvariantCulture)),
            new XElement("NgayThangNam", c.NgaySinh.ToString("yyyyMMdd", CultureInfo.InvariantCulture))),
        new XElement("QuocTich", c.QuocTich),
        Place("ThuongTru", c.ThuongTru),
        Place("NoiOHienTai", c.NoiOHienTai),
        new XElement(
            "ChuHo",
            new XElement("HoVaTen", c.ChuHo.HoVaTen),
            new XElement("SoDinhDanh", c.ChuHo.SoDinhDanh),
            new XElement("QuanHe", c.ChuHo.QuanHe)),
        Relative("Cha", c.Cha),
        Relative("Me", c.Me),
        Relative("VoChong", c.VoChong));

    private static XElement Place(string name, Address a) => new(
        name,
        new XElement("MaTinhThanh", a.MaTinhThanh),
        new XElement("MaPhuongXa", a.MaPhuongXa),
        new XElement("ChiTiet", a.ChiTiet));

    private static XElement? Relative(string name, RelativeRef? r) => r is null
        ? null
        : new XElement(
            name,
            new XElement("HoVaTen", r.HoVaTen),
            r.SoDinhDanh is null ? null : new XElement("SoDinhDanh", r.SoDinhDanh));
}
