using OneStop.Hub.Dossiers;
using OneStop.Schemas.Soap;
using Canonical = OneStop.Schemas.Canonical;

namespace OneStop.Hub.Soap.Internal;

/// <summary>
/// /soap/dossier: translates the SOAP event to the canonical one and hands it to the ingest core. Standard SOAP
/// clients (zeep, PHP SoapClient, Java) leave optional elements out or send them empty or nil, at any depth; the
/// serializer then leaves lists and nested records null (it runs no constructors), so every one is read as absent.
/// </summary>
internal sealed class DossierSoapService(DossierIngestService ingest, SoapFaults faults) : IDossierSoap
{
    public Task<PublishEventReply> PublishEvent(DossierEvent dossierEvent) => faults.Guard(async () =>
    {
        var e = dossierEvent ?? throw HubException.Invalid("dossier_event", "the operation's dossierEvent element is missing or empty");
        var result = await ingest.PublishAsync(ToCanonical(e), CancellationToken.None).ConfigureAwait(false);
        return new PublishEventReply { EventId = result.EventId, ClientEventId = e.ClientEventId, Duplicate = result.Duplicate };
    });

    private static Canonical.DossierEvent ToCanonical(DossierEvent r) => new()
    {
        EventId = "",
        Client = "",
        AcceptedAt = default,
        ClientEventId = r.ClientEventId ?? "",
        MaHoSo = r.MaHoSo ?? "",
        MaTthc = r.MaTTHC,
        TenTthc = r.TenTTHC,
        MaLinhVuc = r.MaLinhVuc,
        TenLinhVuc = r.TenLinhVuc,
        TrangThaiHoSo = r.TrangThaiHoSo,
        NgayTiepNhan = IsoTime.Parse("ngay_tiep_nhan", r.NgayTiepNhan),
        NgayHenTra = IsoTime.Parse("ngay_hen_tra", r.NgayHenTra),
        NgayTra = IsoTime.Parse("ngay_tra", r.NgayTra),
        NgayKetThucXuLy = IsoTime.Parse("ngay_ket_thuc_xu_ly", r.NgayKetThucXuLy),
        DonViXuLy = r.DonViXuLy,
        KenhThucHien = r.KenhThucHien,
        HinhThuc = r.HinhThuc,
        ChuHoSo = r.ChuHoSo,
        LoaiDoiTuong = r.LoaiDoiTuong,
        MaDoiTuong = r.MaDoiTuong,
        SoGiayToChuHoSo = r.SoGiayToChuHoSo,
        Email = r.Email,
        SoDienThoai = r.SoDienThoai,
        TrichYeuHoSo = r.TrichYeuHoSo,
        TaiLieuNop = [.. Items(r.TaiLieuNop).Select(t => new Canonical.TaiLieu
        {
            TepDinhKemId = t.TepDinhKemId, TenTepDinhKem = t.TenTepDinhKem, IsDeleted = t.IsDeleted,
            MaThanhPhanHoSo = t.MaThanhPhanHoSo, DuongDanTaiTepTin = t.DuongDanTaiTepTin,
        })],
        DanhSachLePhi = [.. Items(r.DanhSachLePhi).Select(f => new Canonical.LePhi
        {
            TenPhiLePhi = f.TenPhiLePhi, MaPhiLePhi = f.MaPhiLePhi, HinhThucThu = f.HinhThucThu, Gia = f.Gia, LoaiPhiLePhi = f.LoaiPhiLePhi,
        })],
        DanhSachGiayToKetQua = [.. Items(r.DanhSachGiayToKetQua).Select(g => new Canonical.GiayToKetQua
        {
            TenGiayTo = g.TenGiayTo, MaThanhPhanHoSo = g.MaThanhPhanHoSo, GiayToId = g.GiayToId, DuongDanTepTinKetQua = g.DuongDanTepTinKetQua,
        })],
        DinhDanhChs = [.. Items(r.DinhDanhCHS).Select(d => new Canonical.DinhDanhChuHoSo { LoaiDinhDanh = d.LoaiDinhDanh, SoDinhDanh = d.SoDinhDanh })],
        BuocXuLy = r.BuocXuLy is not { } b ? null : new Canonical.BuocXuLy
        {
            NguoiXuLy = b.NguoiXuLy,
            ChucDanh = b.ChucDanh,
            ThoiDiemXuLy = IsoTime.Parse("buoc_xu_ly.thoi_diem_xu_ly", b.ThoiDiemXuLy),
            PhongBanXuLy = b.PhongBanXuLy,
            NoiDungXuLy = b.NoiDungXuLy,
            NgayBatDau = IsoTime.Parse("buoc_xu_ly.ngay_bat_dau", b.NgayBatDau),
            NgayKetThucTheoQuyDinh = IsoTime.Parse("buoc_xu_ly.ngay_ket_thuc_theo_quy_dinh", b.NgayKetThucTheoQuyDinh),
        },
        DiaChiNhanKetQua = r.DiaChiNhanKetQua is not { } a ? null : new Canonical.DiaChiNhanKetQua
        {
            HoTenNguoiNhan = a.HoTenNguoiNhan, DiaChi = a.DiaChi, SoDienThoai = a.SoDienThoai, MaTinhThanh = a.MaTinhThanh, MaPhuongXa = a.MaPhuongXa, Email = a.Email,
        },
        TaiKhoanXacThuc = r.TaiKhoanXacThuc,
        TuDvcqg = r.TuDVCQG,
        MucDo = r.MucDo,
    };

    /// <summary>A list element left out or nil is empty; a nil item inside it (<c>&lt;TaiLieu xsi:nil="true"/&gt;</c>) is no item.</summary>
    private static IEnumerable<T> Items<T>(IEnumerable<T?>? list)
        where T : class => list?.OfType<T>() ?? [];
}
