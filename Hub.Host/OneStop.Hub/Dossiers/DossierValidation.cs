using System.Text.RegularExpressions;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Dossiers;

/// <summary>Checks a published dossier event; the first broken rule is thrown as INVALID_ARGUMENT naming the field.</summary>
public static partial class DossierValidation
{
    public const int MaxTextLength = 500;
    public const int MaxListItems = 200;

    /// <summary>MaHoSo: <c>{agency code}-{yyMMdd}-{NNNN}</c>, e.g. 000.00.01.H56-261120-0001 or H56.14-261123-0002.</summary>
    [GeneratedRegex(@"^(?<agency>[A-Z0-9]+(\.[A-Z0-9]+)*)-(?<date>\d{6})-(?<n>\d{4,6})$", RegexOptions.CultureInvariant)]
    private static partial Regex MaHoSoPattern();

    /// <summary>MaDonVi: dotted groups of letters and digits, e.g. 000.00.01.H56, H56.14.</summary>
    [GeneratedRegex(@"^[A-Z0-9]+(\.[A-Z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex AgencyPattern();

    /// <summary>The agency part of a valid MaHoSo.</summary>
    public static string AgencyOf(string maHoSo)
    {
        ArgumentNullException.ThrowIfNull(maHoSo);
        var m = MaHoSoPattern().Match(maHoSo);
        return m.Success ? m.Groups["agency"].Value : "";
    }

    public static void Validate(DossierEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Require("client_event_id", e.ClientEventId, 100);
        Require("ma_ho_so", e.MaHoSo, 60);
        var m = MaHoSoPattern().Match(e.MaHoSo);
        if (!m.Success)
        {
            throw HubException.Invalid("ma_ho_so", "must be {agency code}-{yyMMdd}-{NNNN}, e.g. 000.00.01.H56-261120-0001");
        }

        if (!DateOnly.TryParseExact(m.Groups["date"].Value, "yyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
        {
            throw HubException.Invalid("ma_ho_so", "date part (yyMMdd) is not a calendar date");
        }

        Require("ma_tthc", e.MaTthc, 50);
        Require("don_vi_xu_ly", e.DonViXuLy, 50);
        if (!AgencyPattern().IsMatch(e.DonViXuLy!))
        {
            throw HubException.Invalid("don_vi_xu_ly", "must be an agency code such as 000.00.01.H56 or H56.14");
        }

        if (e.TrangThaiHoSo is < 1 or > 10)
        {
            throw HubException.Invalid("trang_thai_ho_so", "must be a national portal status code 1-10");
        }

        if (e.KenhThucHien is < 1 or > 3)
        {
            throw HubException.Invalid("kenh_thuc_hien", "must be 1 (in person), 2 (online) or 3 (by post)");
        }

        if (e.HinhThuc is not (0 or 1))
        {
            throw HubException.Invalid("hinh_thuc", "must be 0 (result returned in person) or 1 (by post)");
        }

        if (e.LoaiDoiTuong is < 1 or > 4)
        {
            throw HubException.Invalid("loai_doi_tuong", "must be 1 (citizen), 2 (business), 3 (state agency) or 4 (organisation)");
        }

        if (e.MucDo is not (0 or 1 or 3 or 4))
        {
            throw HubException.Invalid("muc_do", "must be a service level 0, 1, 3 or 4");
        }

        if (!string.IsNullOrWhiteSpace(e.TaiKhoanXacThuc) && string.IsNullOrWhiteSpace(e.SoGiayToChuHoSo))
        {
            // EMC counts a signed-in dossier by the owner's ID; without it EMC would refuse the event later.
            throw HubException.Invalid("so_giay_to_chu_ho_so", "is required when tai_khoan_xac_thuc says the owner signed in");
        }

        if (e.HinhThuc == 1 && e.TrangThaiHoSo == 9)
        {
            // The postal operator needs all of these to create the order; refuse now rather than park later.
            var a = e.DiaChiNhanKetQua
                ?? throw HubException.Invalid("dia_chi_nhan_ket_qua", "is required when a ready result (trang_thai_ho_so 9) is returned by post (hinh_thuc 1)");
            foreach (var (field, value) in new[]
                     {
                         ("ho_ten_nguoi_nhan", a.HoTenNguoiNhan), ("dia_chi", a.DiaChi), ("so_dien_thoai", a.SoDienThoai), ("ma_tinh_thanh", a.MaTinhThanh),
                     })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw HubException.Invalid($"dia_chi_nhan_ket_qua.{field}", "is required when the result is returned by post");
                }
            }
        }

        foreach (var (field, value) in new[]
                 {
                     ("ten_tthc", e.TenTthc), ("ma_linh_vuc", e.MaLinhVuc), ("ten_linh_vuc", e.TenLinhVuc), ("chu_ho_so", e.ChuHoSo),
                     ("ma_doi_tuong", e.MaDoiTuong), ("so_giay_to_chu_ho_so", e.SoGiayToChuHoSo), ("email", e.Email),
                     ("so_dien_thoai", e.SoDienThoai), ("trich_yeu_ho_so", e.TrichYeuHoSo), ("tai_khoan_xac_thuc", e.TaiKhoanXacThuc),
                 })
        {
            Limit(field, value, MaxTextLength);
        }

        LimitList("tai_lieu_nop", e.TaiLieuNop.Count);
        LimitList("danh_sach_le_phi", e.DanhSachLePhi.Count);
        LimitList("danh_sach_giay_to_ket_qua", e.DanhSachGiayToKetQua.Count);
        LimitList("dinh_danh_chs", e.DinhDanhChs.Count);
        for (var i = 0; i < e.DanhSachLePhi.Count; i++)
        {
            if (e.DanhSachLePhi[i].Gia < 0)
            {
                throw HubException.Invalid($"danh_sach_le_phi[{i}].gia", "must not be negative");
            }

            if (e.DanhSachLePhi[i].HinhThucThu is not (1 or 2))
            {
                throw HubException.Invalid($"danh_sach_le_phi[{i}].hinh_thuc_thu", "must be 1 (paid online) or 2 (paid in person)");
            }
        }

        if (e.SoDienThoai is { Length: > 0 } phone && !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' '))
        {
            throw HubException.Invalid("so_dien_thoai", "must hold digits only (and an optional leading +)");
        }
    }

    private static void Require(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw HubException.Invalid(field, "is required");
        }

        Limit(field, value, max);
    }

    private static void Limit(string field, string? value, int max)
    {
        if (value is { Length: var n } && n > max)
        {
            throw HubException.Invalid(field, $"must be at most {max} characters");
        }
    }

    private static void LimitList(string field, int count)
    {
        if (count > MaxListItems)
        {
            throw HubException.Invalid(field, $"must have at most {MaxListItems} items");
        }
    }
}
