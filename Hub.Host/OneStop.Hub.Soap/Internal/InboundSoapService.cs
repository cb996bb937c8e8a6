using System.Globalization;
using System.Text.Json.Nodes;
using OneStop.Hub.Evidence;
using OneStop.Hub.Inbound;
using OneStop.Schemas.Soap;

namespace OneStop.Hub.Soap.Internal;

/// <summary>/soap/inbound: the portal's push (NhanHoSo) and the pull calls of one-stop systems (LayHoSoMoi, XacNhanDaNhan).</summary>
internal sealed class InboundSoapService(InboundIntake intake, InboundDeliveryService delivery, ICallerAccessor caller, SoapFaults faults) : IInboundSoap
{
    public Task<NhanHoSoReply> NhanHoSo(NhanHoSoRequest request) => faults.Guard(async () =>
    {
        var items = (request?.Data ?? []).Select(ToJson).ToList();
        if (items.Count == 0)
        {
            throw HubException.Invalid("Data", "required: at least one HoSoMC");
        }

        var results = await intake.PushAsync(caller.ClientId ?? "anonymous", items, CancellationToken.None).ConfigureAwait(false);
        return new NhanHoSoReply
        {
            Message = InboundItemResult.Summary(results),
            Result = [.. results.Select(r => new KetQuaHoSo { MaHoSo = r.MaHoSo, Status = r.Status, Error = r.Error })],
        };
    });

    public Task<LayHoSoMoiReply> LayHoSoMoi(LayHoSoMoiRequest request) => faults.Guard(async () =>
    {
        try
        {
            var batch = await delivery.FetchAsync([.. Items(request?.DonViXuLy)], request?.SoLuongToiDa ?? 0, CancellationToken.None).ConfigureAwait(false);
            return new LayHoSoMoiReply { Messages = [.. batch.Select(ToSoap)] };
        }
        catch (HubException e) when (e.Field is "agencies" or "max_messages")
        {
            // The core names the gRPC/JSON fields; a SOAP caller sent DonViXuLy and SoLuongToiDa.
            throw HubException.Invalid(e.Field == "agencies" ? "DonViXuLy" : "SoLuongToiDa", e.Message[(e.Field.Length + 2)..]);
        }
    });

    public Task<XacNhanDaNhanReply> XacNhanDaNhan(XacNhanDaNhanRequest request) => faults.Guard(async () =>
        new XacNhanDaNhanReply { Acknowledged = await delivery.AckAsync(request?.DeliveryIds ?? [], CancellationToken.None).ConfigureAwait(false) });

    private static JsonNode? ToJson(HoSoMC? h)
    {
        if (h is null)
        {
            return null;
        }

        return new JsonObject
        {
            ["MaHoSo"] = h.MaHoSo, ["MaTTHC"] = h.MaTTHC, ["TenTTHC"] = h.TenTTHC, ["MaLinhVuc"] = h.MaLinhVuc, ["TenLinhVuc"] = h.TenLinhVuc,
            ["ChuHoSo"] = h.ChuHoSo, ["LoaiDoiTuong"] = h.LoaiDoiTuong, ["MaDoiTuong"] = h.MaDoiTuong, ["Email"] = h.Email, ["SoDienThoai"] = h.SoDienThoai,
            ["TrichYeuHoSo"] = h.TrichYeuHoSo, ["NgayTiepNhan"] = h.NgayTiepNhan, ["NgayHenTra"] = h.NgayHenTra, ["TrangThaiHoSo"] = h.TrangThaiHoSo,
            ["HinhThuc"] = h.HinhThuc, ["DonViXuLy"] = h.DonViXuLy, ["KenhThucHien"] = h.KenhThucHien, ["SoGiayToChuHoSo"] = h.SoGiayToChuHoSo,
            ["TaiLieuNop"] = new JsonArray([.. Items(h.TaiLieuNop).Select(t => (JsonNode)new JsonObject
            {
                ["TepDinhKemId"] = t.TepDinhKemId, ["TenTepDinhKem"] = t.TenTepDinhKem, ["MaThanhPhanHoSo"] = t.MaThanhPhanHoSo,
                ["DuongDanTaiTepTin"] = t.DuongDanTaiTepTin, ["Base64"] = t.Base64,
            })]),
            ["DanhSachLePhi"] = new JsonArray([.. Items(h.DanhSachLePhi).Select(f => (JsonNode)new JsonObject
            {
                ["TenPhiLePhi"] = f.TenPhiLePhi, ["MaPhiLePhi"] = f.MaPhiLePhi, ["HinhThucThu"] = f.HinhThucThu, ["Gia"] = f.Gia, ["LoaiPhiLePhi"] = f.LoaiPhiLePhi,
            })]),
            ["DinhDanhCHS"] = new JsonArray([.. Items(h.DinhDanhCHS).Select(d => (JsonNode)new JsonObject { ["LoaiDinhDanh"] = d.LoaiDinhDanh, ["SoDinhDanh"] = d.SoDinhDanh })]),
        };
    }

    private static HoSoMoi ToSoap(InboundDelivery delivery)
    {
        var r = delivery.Record;
        var message = new HoSoMoi
        {
            DeliveryId = delivery.DeliveryId, MessageId = r.MessageId, Kind = r.Kind, Agency = r.Agency, Source = r.Source,
            ReceivedAt = r.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        };
        if (r.Dossier is { } d)
        {
            message.HoSo = new HoSoMC
            {
                MaHoSo = d.MaHoSo, MaTTHC = d.MaTthc, TenTTHC = d.TenTthc, MaLinhVuc = d.MaLinhVuc, TenLinhVuc = d.TenLinhVuc, ChuHoSo = d.ChuHoSo,
                LoaiDoiTuong = Text(d.LoaiDoiTuong), MaDoiTuong = d.MaDoiTuong, Email = d.Email, SoDienThoai = d.SoDienThoai, TrichYeuHoSo = d.TrichYeuHoSo,
                NgayTiepNhan = Portal(d.NgayTiepNhan), NgayHenTra = d.NgayHenTra is { } due ? Portal(due) : null, TrangThaiHoSo = Text(d.TrangThaiHoSo),
                HinhThuc = Text(d.HinhThuc), DonViXuLy = d.DonViXuLy, KenhThucHien = Text(d.KenhThucHien), SoGiayToChuHoSo = d.SoGiayToChuHoSo,
                TaiLieuNop = [.. d.TaiLieuNop.Select(t => new TepHoSo
                {
                    TepDinhKemId = t.TepDinhKemId, TenTepDinhKem = t.TenTepDinhKem, MaThanhPhanHoSo = t.MaThanhPhanHoSo,
                    DuongDanTaiTepTin = t.DuongDanTaiTepTin, Sha256 = t.Sha256, KichThuoc = t.SizeBytes,
                })],
                DanhSachLePhi = [.. d.DanhSachLePhi.Select(f => new PhiLePhi
                {
                    TenPhiLePhi = f.TenPhiLePhi, MaPhiLePhi = f.MaPhiLePhi, HinhThucThu = Text(f.HinhThucThu), Gia = f.Gia.ToString(CultureInfo.InvariantCulture),
                    LoaiPhiLePhi = Text(f.LoaiPhiLePhi),
                })],
                DinhDanhCHS = [.. d.DinhDanhChs.Select(i => new DinhDanh { LoaiDinhDanh = i.LoaiDinhDanh, SoDinhDanh = i.SoDinhDanh })],
            };
        }

        if (r.PostalTracking is { } p)
        {
            message.BuuChinh = new TheoDoiBuuChinh
            {
                MaHoSo = p.MaHoSo, TrackingId = p.TrackingId, ItemCode = p.ItemCode, StatusCode = p.StatusCode, StatusMessage = p.StatusMessage,
                Stage = p.Stage, EventTime = p.EventTime?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), PostOffice = p.PostOffice,
            };
        }

        return message;
    }

    /// <summary>A list element left out or nil reads as empty, and a nil item in it is skipped (DataContractSerializer runs no initialisers).</summary>
    private static IEnumerable<T> Items<T>(IEnumerable<T?>? list)
        where T : class => list?.OfType<T>() ?? [];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Portal(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(7)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
}
