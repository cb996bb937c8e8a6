using System.Text;
using OneStop.Schemas.Soap;
using Canonical = OneStop.Schemas.Canonical;

namespace OneStop.Hub.Soap.Internal;

/// <summary>Field-for-field copies between the canonical records and the SOAP data contracts.</summary>
internal static class SoapTranslation
{
    // Canonical snake_case names whose SOAP element is not the plain PascalCase form.
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["so_cmnd"] = "SoCMND",
        ["ma_so_bhxh"] = "MaSoBHXH",
        ["ma_tthc"] = "MaTTHC",
        ["ten_tthc"] = "TenTTHC",
        ["dinh_danh_chs"] = "DinhDanhCHS",
        ["tu_dvcqg"] = "TuDVCQG",
    };

    /// <summary>SOAP element name of a canonical field: <c>so_dinh_danh</c> → <c>SoDinhDanh</c>, <c>context.ma_don_vi</c> → <c>Context.MaDonVi</c>.</summary>
    public static string SoapFieldName(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return string.Join('.', canonical.Split('.').Select(part =>
        {
            if (Irregular.TryGetValue(part, out var name))
            {
                return name;
            }

            var sb = new StringBuilder(part.Length);
            foreach (var word in part.Split('_', StringSplitOptions.RemoveEmptyEntries))
            {
                sb.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }

            return sb.ToString();
        }));
    }

    public static Canonical.LookupContext ToCanonical(LookupContext? c) => c is null
        ? new Canonical.LookupContext()
        : new Canonical.LookupContext { MaDonVi = c.MaDonVi, MaCanBo = c.MaCanBo, MucDich = c.MucDich, MaHoSo = c.MaHoSo };

    public static LookupMeta ToSoap(Canonical.LookupMeta m) =>
        new() { MaYeuCau = m.MaYeuCau, Nguon = m.Nguon, MappingVersion = m.MappingVersion };

    public static CongDan ToSoap(Canonical.CongDan c) => new()
    {
        SoDinhDanh = c.SoDinhDanh,
        SoCMND = c.SoCmnd,
        HoVaTen = c.HoVaTen,
        GioiTinh = c.GioiTinh,
        DanToc = c.DanToc,
        TonGiao = c.TonGiao,
        NgayThangNamSinh = c.NgayThangNamSinh,
        QuocTich = c.QuocTich,
        ThuongTru = ToSoap(c.ThuongTru),
        NoiOHienTai = ToSoap(c.NoiOHienTai),
        ChuHo = ToSoap(c.ChuHo),
        Cha = ToSoap(c.Cha),
        Me = ToSoap(c.Me),
        VoChong = ToSoap(c.VoChong),
    };

    public static DoanhNghiep ToSoap(Canonical.DoanhNghiep d) => new()
    {
        MaSoDoanhNghiep = d.MaSoDoanhNghiep,
        SoGCNDKKD = d.SoGcndkkd,
        TenTiengViet = d.TenTiengViet,
        MaLoaiHinhDN = d.MaLoaiHinhDn,
        NgayDangKyLanDau = d.NgayDangKyLanDau,
        TinhTrangPhapLy = d.TinhTrangPhapLy,
        DaiDienPhapLuat = [.. (d.DaiDienPhapLuat ?? []).Select(p => new DaiDienPhapLuat { HoVaTen = p.HoVaTen, ChucDanh = p.ChucDanh, SoDinhDanh = p.SoDinhDanh })],
        DiaChiTruSo = [.. (d.DiaChiTruSo ?? []).Select(a => ToSoap(a)!)],
        NganhNgheKinhDoanh = [.. (d.NganhNgheKinhDoanh ?? []).Select(n => new NganhNghe { MaNganh = n.MaNganh, TenNganh = n.TenNganh, LaNganhChinh = n.LaNganhChinh })],
    };

    public static SoBHXH ToSoap(Canonical.SoBhxh s) => new()
    {
        MaSoBHXH = s.MaSoBhxh,
        SoDinhDanh = s.SoDinhDanh,
        HoVaTen = s.HoVaTen,
        NgayThangNamSinh = s.NgayThangNamSinh,
        GioiTinh = s.GioiTinh,
        QuaTrinhThamGia = [.. (s.QuaTrinhThamGia ?? []).Select(q => new QuaTrinhThamGia
        {
            TuThang = q.TuThang, DenThang = q.DenThang, MaSoThueDonVi = q.MaSoThueDonVi, TenDonVi = q.TenDonVi, LoaiHinh = q.LoaiHinh,
        })],
        TheBHYT = s.TheBhyt is null ? null : new TheBHYT
        {
            MaThe = s.TheBhyt.MaThe, GiaTriTu = s.TheBhyt.GiaTriTu, GiaTriDen = s.TheBhyt.GiaTriDen, NoiDangKyKCB = s.TheBhyt.NoiDangKyKcb,
        },
    };

    public static ThuaDat ToSoap(Canonical.ThuaDat t) => new()
    {
        SoThuTuThua = t.SoThuTuThua,
        SoHieuBanDo = t.SoHieuBanDo,
        MaPhuongXa = t.MaPhuongXa,
        DienTich = t.DienTich,
        DiaChiChiTiet = t.DiaChiChiTiet,
        MucDichSuDung = t.MucDichSuDung,
        GiayChungNhan = t.GiayChungNhan is not { } g ? null : new GiayChungNhan
        {
            SoPhatHanh = g.SoPhatHanh, SoVaoSo = g.SoVaoSo, NgayCap = g.NgayCap, ChuSuDung = [.. (g.ChuSuDung ?? []).Select(p => ToSoap(p)!)],
        },
    };

    private static DiaChi? ToSoap(Canonical.DiaChi? a) => a is null
        ? null
        : new DiaChi { MaTinhThanh = a.MaTinhThanh, MaPhuongXa = a.MaPhuongXa, ChiTiet = a.ChiTiet };

    private static NguoiLienQuan? ToSoap(Canonical.NguoiLienQuan? p) => p is null
        ? null
        : new NguoiLienQuan { HoVaTen = p.HoVaTen, SoDinhDanh = p.SoDinhDanh, QuanHe = p.QuanHe };
}
