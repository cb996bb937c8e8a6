using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Dossiers;
using Canonical = OneStop.Schemas.Canonical;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.DossierService: translates published events and hands them to the ingest core.</summary>
internal sealed class DossierGrpcService(DossierIngestService ingest) : DossierService.DossierServiceBase
{
    public override async Task<PublishEventReply> PublishEvent(DossierEvent request, ServerCallContext context)
    {
        var result = await ingest.PublishAsync(ToCanonical(request), context.CancellationToken).ConfigureAwait(false);
        return new PublishEventReply { EventId = result.EventId, ClientEventId = request.ClientEventId, Duplicate = result.Duplicate };
    }

    /// <summary>
    /// Each event is answered, in order, once Kafka holds it. An invalid event ends the stream with
    /// INVALID_ARGUMENT naming the event's position and field; every event answered before it was accepted.
    /// </summary>
    public override async Task PublishEvents(IAsyncStreamReader<DossierEvent> requestStream, IServerStreamWriter<PublishEventReply> responseStream, ServerCallContext context)
    {
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            PublishResult result;
            try
            {
                result = await ingest.PublishAsync(ToCanonical(request), context.CancellationToken).ConfigureAwait(false);
            }
            catch (HubException e) when (e.Kind == HubErrorKind.InvalidArgument)
            {
                throw new HubException(e.Kind, $"event {index} ({request.ClientEventId}): {e.Message}", e.Field);
            }

            await responseStream.WriteAsync(new PublishEventReply { EventId = result.EventId, ClientEventId = request.ClientEventId, Duplicate = result.Duplicate },
                context.CancellationToken).ConfigureAwait(false);
            index++;
        }
    }

    internal static Canonical.DossierEvent ToCanonical(DossierEvent r) => new()
    {
        EventId = "",
        Client = "",
        AcceptedAt = default,
        ClientEventId = r.ClientEventId,
        MaHoSo = r.MaHoSo,
        MaTthc = Blank(r.MaTthc),
        TenTthc = Blank(r.TenTthc),
        MaLinhVuc = Blank(r.MaLinhVuc),
        TenLinhVuc = Blank(r.TenLinhVuc),
        TrangThaiHoSo = r.TrangThaiHoSo,
        NgayTiepNhan = IsoTime.Parse("ngay_tiep_nhan", r.NgayTiepNhan),
        NgayHenTra = IsoTime.Parse("ngay_hen_tra", r.NgayHenTra),
        NgayTra = IsoTime.Parse("ngay_tra", r.NgayTra),
        NgayKetThucXuLy = IsoTime.Parse("ngay_ket_thuc_xu_ly", r.NgayKetThucXuLy),
        DonViXuLy = Blank(r.DonViXuLy),
        KenhThucHien = r.KenhThucHien,
        HinhThuc = r.HinhThuc,
        ChuHoSo = Blank(r.ChuHoSo),
        LoaiDoiTuong = r.LoaiDoiTuong,
        MaDoiTuong = Blank(r.MaDoiTuong),
        SoGiayToChuHoSo = Blank(r.SoGiayToChuHoSo),
        Email = Blank(r.Email),
        SoDienThoai = Blank(r.SoDienThoai),
        TrichYeuHoSo = Blank(r.TrichYeuHoSo),
        TaiLieuNop = [.. r.TaiLieuNop.Select(t => new Canonical.TaiLieu
        {
            TepDinhKemId = t.TepDinhKemId, TenTepDinhKem = t.TenTepDinhKem, IsDeleted = t.IsDeleted,
            MaThanhPhanHoSo = t.MaThanhPhanHoSo, DuongDanTaiTepTin = t.DuongDanTaiTepTin,
        })],
        DanhSachLePhi = [.. r.DanhSachLePhi.Select(f => new Canonical.LePhi
        {
            TenPhiLePhi = f.TenPhiLePhi, MaPhiLePhi = f.MaPhiLePhi, HinhThucThu = f.HinhThucThu, Gia = f.Gia, LoaiPhiLePhi = f.LoaiPhiLePhi,
        })],
        DanhSachGiayToKetQua = [.. r.DanhSachGiayToKetQua.Select(g => new Canonical.GiayToKetQua
        {
            TenGiayTo = g.TenGiayTo, MaThanhPhanHoSo = g.MaThanhPhanHoSo, GiayToId = g.GiayToId, DuongDanTepTinKetQua = g.DuongDanTepTinKetQua,
        })],
        DinhDanhChs = [.. r.DinhDanhChs.Select(d => new Canonical.DinhDanhChuHoSo { LoaiDinhDanh = d.LoaiDinhDanh, SoDinhDanh = d.SoDinhDanh })],
        BuocXuLy = r.BuocXuLy is not { } b ? null : new Canonical.BuocXuLy
        {
            NguoiXuLy = Blank(b.NguoiXuLy),
            ChucDanh = Blank(b.ChucDanh),
            ThoiDiemXuLy = IsoTime.Parse("buoc_xu_ly.thoi_diem_xu_ly", b.ThoiDiemXuLy),
            PhongBanXuLy = Blank(b.PhongBanXuLy),
            NoiDungXuLy = Blank(b.NoiDungXuLy),
            NgayBatDau = IsoTime.Parse("buoc_xu_ly.ngay_bat_dau", b.NgayBatDau),
            NgayKetThucTheoQuyDinh = IsoTime.Parse("buoc_xu_ly.ngay_ket_thuc_theo_quy_dinh", b.NgayKetThucTheoQuyDinh),
        },
        DiaChiNhanKetQua = r.DiaChiNhanKetQua is not { } a ? null : new Canonical.DiaChiNhanKetQua
        {
            HoTenNguoiNhan = Blank(a.HoTenNguoiNhan), DiaChi = Blank(a.DiaChi), SoDienThoai = Blank(a.SoDienThoai),
            MaTinhThanh = Blank(a.MaTinhThanh), MaPhuongXa = Blank(a.MaPhuongXa), Email = Blank(a.Email),
        },
        TaiKhoanXacThuc = Blank(r.TaiKhoanXacThuc),
        TuDvcqg = r.TuDvcqg,
        MucDo = r.MucDo,
    };

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
