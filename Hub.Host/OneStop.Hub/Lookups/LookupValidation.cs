using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Lookups;

/// <summary>
/// Checks a lookup before it leaves the hub and returns it trimmed; the first broken rule is thrown as
/// INVALID_ARGUMENT naming the field.
/// </summary>
internal static class LookupValidation
{
    private const int MaxNameLength = 100;

    public static CitizenQuery Validate(CitizenQuery q, DateTimeOffset now)
    {
        var cccd = Blank(q.SoDinhDanh);
        var cmnd = Blank(q.SoCmnd);
        if (cccd is null && cmnd is null)
        {
            throw HubException.Invalid("so_dinh_danh", "is required (or give so_cmnd)");
        }

        Check("so_dinh_danh", cccd, v => Identifiers.CheckCccd(v, now));
        Check("so_cmnd", cmnd, Identifiers.CheckCmnd);
        if (Blank(q.HoVaTen) is { Length: > MaxNameLength })
        {
            throw HubException.Invalid("ho_va_ten", $"must be at most {MaxNameLength} characters");
        }

        if (Blank(q.NgayThangNamSinh) is { } birth)
        {
            if (Identifiers.CheckBirthDate(birth, now, out var year) is { } rule)
            {
                throw HubException.Invalid("ngay_thang_nam_sinh", rule);
            }

            if (cccd is not null && Identifiers.CccdBirthYear(cccd) != year)
            {
                throw HubException.Invalid("ngay_thang_nam_sinh", "birth year differs from the one encoded in so_dinh_danh (digits 4-6)");
            }
        }

        ValidateContext(q.Context);
        return q with { SoDinhDanh = cccd, SoCmnd = cmnd, HoVaTen = Blank(q.HoVaTen), NgayThangNamSinh = Blank(q.NgayThangNamSinh) };
    }

    public static EnterpriseQuery Validate(EnterpriseQuery q)
    {
        var mst = Blank(q.MaSoDoanhNghiep) ?? throw HubException.Invalid("ma_so_doanh_nghiep", "is required");
        Check("ma_so_doanh_nghiep", mst, Identifiers.CheckMst);
        ValidateContext(q.Context);
        return q with { MaSoDoanhNghiep = mst };
    }

    public static InsuranceQuery Validate(InsuranceQuery q, DateTimeOffset now)
    {
        var bhxh = Blank(q.MaSoBhxh);
        var cccd = Blank(q.SoDinhDanh);
        if (bhxh is null && cccd is null)
        {
            throw HubException.Invalid("ma_so_bhxh", "is required (or give so_dinh_danh)");
        }

        Check("ma_so_bhxh", bhxh, Identifiers.CheckBhxh);
        Check("so_dinh_danh", cccd, v => Identifiers.CheckCccd(v, now));
        ValidateContext(q.Context);
        return q with { MaSoBhxh = bhxh, SoDinhDanh = cccd };
    }

    public static LandParcelQuery Validate(LandParcelQuery q)
    {
        var commune = Blank(q.MaPhuongXa) ?? throw HubException.Invalid("ma_phuong_xa", "is required");
        Check("ma_phuong_xa", commune, Identifiers.CheckMaPhuongXa);
        if (q.SoHieuBanDo <= 0)
        {
            throw HubException.Invalid("so_hieu_ban_do", "must be a positive map sheet number");
        }

        if (q.SoThuTuThua <= 0)
        {
            throw HubException.Invalid("so_thu_tu_thua", "must be a positive parcel number");
        }

        ValidateContext(q.Context);
        return q with { MaPhuongXa = commune };
    }

    internal static void ValidateContext(LookupContext? context)
    {
        if (context is null)
        {
            return;
        }

        Limit("context.ma_don_vi", context.MaDonVi, 50);
        Limit("context.ma_can_bo", context.MaCanBo, 50);
        Limit("context.muc_dich", context.MucDich, 200);
        Limit("context.ma_ho_so", context.MaHoSo, 50);
    }

    private static void Limit(string field, string? value, int max)
    {
        if (value is { Length: var n } && n > max)
        {
            throw HubException.Invalid(field, $"must be at most {max} characters");
        }
    }

    private static void Check(string field, string? value, Func<string, string?> rule)
    {
        if (value is not null && rule(value) is { } broken)
        {
            throw HubException.Invalid(field, broken);
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
