using OneStop.Grpc.V1;
using Canonical = OneStop.Schemas.Canonical;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>Field-for-field copies between the canonical records and the onestop.v1 messages (proto strings are never null).</summary>
internal static class ProtoTranslation
{
    public static Canonical.LookupContext ToCanonical(LookupContext? c) => c is null
        ? new Canonical.LookupContext()
        : new Canonical.LookupContext { MaDonVi = c.MaDonVi, MaCanBo = c.MaCanBo, MucDich = c.MucDich, MaHoSo = c.MaHoSo };

    public static LookupMeta ToProto(Canonical.LookupMeta m) =>
        new() { MaYeuCau = m.MaYeuCau, Nguon = m.Nguon, MappingVersion = m.MappingVersion };

    public static CongDan ToProto(Canonical.CongDan c) => new()
    {
        SoDinhDanh = c.SoDinhDanh ?? "",
        SoCmnd = c.SoCmnd ?? "",
        HoVaTen = c.HoVaTen ?? "",
        GioiTinh = c.GioiTinh ?? "",
        DanToc = c.DanToc ?? "",
        TonGiao = c.TonGiao ?? "",
        NgayThangNamSinh = c.NgayThangNamSinh ?? "",
        QuocTich = c.QuocTich ?? "",
        ThuongTru = ToProto(c.ThuongTru),
        NoiOHienTai = ToProto(c.NoiOHienTai),
        ChuHo = ToProto(c.ChuHo),
        Cha = ToProto(c.Cha),
        Me = ToProto(c.Me),
        VoChong = ToProto(c.VoChong),
    };

    public static DoanhNghiep ToProto(Canonical.DoanhNghiep d)
    {
        var proto = new DoanhNghiep
        {
            MaSoDoanhNghiep = d.MaSoDoanhNghiep ?? "",
            SoGcndkkd = d.SoGcndkkd ?? "",
            TenTiengViet = d.TenTiengViet ?? "",
            MaLoaiHinhDn = d.MaLoaiHinhDn ?? "",
            NgayDangKyLanDau = d.NgayDangKyLanDau ?? "",
            TinhTrangPhapLy = d.TinhTrangPhapLy ?? "",
        };
        proto.DaiDienPhapLuat.AddRange((d.DaiDienPhapLuat ?? []).Select(p => new DaiDienPhapLuat
        {
            HoVaTen = p.HoVaTen ?? "",
            ChucDanh = p.ChucDanh ?? "",
            SoDinhDanh = p.SoDinhDanh ?? "",
        }));
        proto.DiaChiTruSo.AddRange((d.DiaChiTruSo ?? []).Select(a => ToProto(a)!));
        proto.NganhNgheKinhDoanh.AddRange((d.NganhNgheKinhDoanh ?? []).Select(n => new NganhNghe
        {
            MaNganh = n.MaNganh ?? "",
            TenNganh = n.TenNganh ?? "",
            LaNganhChinh = n.LaNganhChinh,
        }));
        return proto;
    }

    public static SoBhxh ToProto(Canonical.SoBhxh s)
    {
        var proto = new SoBhxh
        {
            MaSoBhxh = s.MaSoBhxh ?? "",
            SoDinhDanh = s.SoDinhDanh ?? "",
            HoVaTen = s.HoVaTen ?? "",
            NgayThangNamSinh = s.NgayThangNamSinh ?? "",
            GioiTinh = s.GioiTinh ?? "",
            TheBhyt = s.TheBhyt is null ? null : new TheBhyt
            {
                MaThe = s.TheBhyt.MaThe ?? "",
                GiaTriTu = s.TheBhyt.GiaTriTu ?? "",
                GiaTriDen = s.TheBhyt.GiaTriDen ?? "",
                NoiDangKyKcb = s.TheBhyt.NoiDangKyKcb ?? "",
            },
        };
        proto.QuaTrinhThamGia.AddRange((s.QuaTrinhThamGia ?? []).Select(q => new QuaTrinhThamGia
        {
            TuThang = q.TuThang ?? "",
            DenThang = q.DenThang ?? "",
            MaSoThueDonVi = q.MaSoThueDonVi ?? "",
            TenDonVi = q.TenDonVi ?? "",
            LoaiHinh = q.LoaiHinh ?? "",
        }));
        return proto;
    }

    public static ThuaDat ToProto(Canonical.ThuaDat t)
    {
        var proto = new ThuaDat
        {
            SoThuTuThua = t.SoThuTuThua,
            SoHieuBanDo = t.SoHieuBanDo,
            MaPhuongXa = t.MaPhuongXa ?? "",
            DienTich = t.DienTich,
            DiaChiChiTiet = t.DiaChiChiTiet ?? "",
            MucDichSuDung = t.MucDichSuDung ?? "",
        };
        if (t.GiayChungNhan is { } g)
        {
            proto.GiayChungNhan = new GiayChungNhan { SoPhatHanh = g.SoPhatHanh ?? "", SoVaoSo = g.SoVaoSo ?? "", NgayCap = g.NgayCap ?? "" };
            proto.GiayChungNhan.ChuSuDung.AddRange((g.ChuSuDung ?? []).Select(p => ToProto(p)!));
        }

        return proto;
    }

    private static DiaChi? ToProto(Canonical.DiaChi? a) => a is null
        ? null
        : new DiaChi { MaTinhThanh = a.MaTinhThanh ?? "", MaPhuongXa = a.MaPhuongXa ?? "", ChiTiet = a.ChiTiet ?? "" };

    private static NguoiLienQuan? ToProto(Canonical.NguoiLienQuan? p) => p is null
        ? null
        : new NguoiLienQuan { HoVaTen = p.HoVaTen ?? "", SoDinhDanh = p.SoDinhDanh ?? "", QuanHe = p.QuanHe ?? "" };
}
