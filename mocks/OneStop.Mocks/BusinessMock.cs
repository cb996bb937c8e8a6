using System.Globalization;
using OneStop.Mocks.Internal;
using WireMock;

namespace OneStop.Mocks;

/// <summary>
/// The national business-registration database (CSDLQG về ĐKDN):
/// <c>GET /api/doanhnghiep/chiTietDoanhNghiep?msdn=…</c>, answering <c>{"GetEntCert":{…}}</c> or <c>{"GetEntCert":null}</c>.
/// </summary>
public sealed class BusinessMock : MockServer
{
    private BusinessMock(SyntheticDataset data, TimeProvider? timeProvider)
        : base("business", data, timeProvider)
    {
    }

    /// <summary>Starts the mock on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<BusinessMock> StartAsync(SyntheticDataset data, int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new BusinessMock(data, timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    private protected override string BusinessMethod => "GET";

    private protected override string BusinessPath => "/api/doanhnghiep/chiTietDoanhNghiep";

    private protected override MockReply Answer(IRequestMessage request)
    {
        var msdn = Http.Query(request, "msdn")?.Trim();
        if (string.IsNullOrEmpty(msdn))
        {
            return MockReply.Of(400, new ErrorReply("msdn is required"), WireJsonContext.Wire.ErrorReply);
        }

        var business = Data.FindBusiness(msdn);
        return MockReply.Of(200, new BusinessReply(business is null ? null : ToWire(business)), WireJsonContext.Wire.BusinessReply);
    }

    private static EntCert ToWire(Business b) => new(
        b.MaSoDoanhNghiep,
        b.SoGCNDKKD,
        b.TenTiengViet,
        b.MaLoaiHinhDN,
        b.NgayDangKyLanDau.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        b.TinhTrangPhapLy,
        b.DaiDienPhapLuat.Select(r => new EntRepresentative(r.HoVaTen, r.ChucDanh, r.SoDinhDanh)).ToArray(),
        b.DiaChiTruSo.Select(a => new WireAddress(a.MaTinhThanh, a.MaPhuongXa, a.ChiTiet)).ToArray(),
        b.NganhNgheKinhDoanh.Select(l => new EntLine(l.MaNganh, l.TenNganh, l.LaNganhChinh)).ToArray());
}
