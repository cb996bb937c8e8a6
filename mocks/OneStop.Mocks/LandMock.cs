using System.Globalization;
using OneStop.Mocks.Internal;
using WireMock;

namespace OneStop.Mocks;

/// <summary>
/// The land database (CSDL đất đai):
/// <c>GET /api/datdai/thuadat?maPhuongXa=…&amp;soHieuBanDo=…&amp;soThuTuThua=…</c>, answering
/// <c>{"data":{…},"status":{"success":true,"code":"200","message":"OK"}}</c>, or <c>data</c> null and code "404".
/// </summary>
public sealed class LandMock : MockServer
{
    /// <summary>Message of the not-found reply.</summary>
    public const string NotFoundMessage = "Không tìm thấy thửa đất";

    private LandMock(SyntheticDataset data, TimeProvider? timeProvider)
        : base("land", data, timeProvider)
    {
    }

    /// <summary>Starts the mock on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<LandMock> StartAsync(SyntheticDataset data, int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new LandMock(data, timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    private protected override string BusinessMethod => "GET";

    private protected override string BusinessPath => "/api/datdai/thuadat";

    private protected override MockReply Answer(IRequestMessage request)
    {
        var commune = Http.Query(request, "maPhuongXa")?.Trim();
        if (string.IsNullOrEmpty(commune)
            || !int.TryParse(Http.Query(request, "soHieuBanDo"), NumberStyles.None, CultureInfo.InvariantCulture, out var sheet)
            || !int.TryParse(Http.Query(request, "soThuTuThua"), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return MockReply.Of(
                400,
                new LandReply(null, new LandStatus(false, "400", "Thiếu hoặc sai tham số maPhuongXa, soHieuBanDo, soThuTuThua")),
                WireJsonContext.Wire.LandReply);
        }

        var parcel = Data.FindLandParcel(commune, sheet, number);
        var reply = parcel is null
            ? new LandReply(null, new LandStatus(false, "404", NotFoundMessage))
            : new LandReply(ToWire(parcel), new LandStatus(true, "200", "OK"));
        return MockReply.Of(200, reply, WireJsonContext.Wire.LandReply);
    }

    private static LandData ToWire(LandParcel p) => new(
        p.SoThuTuThua,
        p.SoHieuBanDo,
        p.MaPhuongXa,
        p.DienTich,
        p.DiaChiChiTiet,
        p.MucDichSuDung,
        new LandCertificateData(
            p.GiayChungNhan.SoPhatHanh,
            p.GiayChungNhan.SoVaoSo,
            p.GiayChungNhan.NgayCap.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            p.GiayChungNhan.ChuSuDung.Select(u => new LandUserData(u.HoVaTen, u.SoDinhDanh)).ToArray()));
}
