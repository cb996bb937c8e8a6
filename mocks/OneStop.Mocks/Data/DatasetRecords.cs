namespace OneStop.Mocks;

// The synthetic records the mocks answer from. Field names follow the national systems
// (see shared/domain.md and docs/adapters.md) so a test can compare a reply with its source record.

/// <summary>Gender as the population database codes it (<c>GioiTinh</c>: 1 male, 2 female).</summary>
public enum Gender
{
    Male = 1,
    Female = 2,
}

/// <summary>An address on the post-July-2025 map: province and commune codes, no district level.</summary>
public sealed record Address
{
    /// <summary>2-digit province code of the 34 current provinces, e.g. <c>"38"</c>.</summary>
    public required string MaTinhThanh { get; init; }

    /// <summary>5-digit commune (phường/xã) code, e.g. <c>"16012"</c>.</summary>
    public required string MaPhuongXa { get; init; }

    /// <summary>Free text: house or village, commune name, province name.</summary>
    public required string ChiTiet { get; init; }
}

/// <summary>A relative named on a citizen's record. <see cref="SoDinhDanh"/> is null when the relative is not in the dataset.</summary>
public sealed record RelativeRef
{
    public required string HoVaTen { get; init; }
    public string? SoDinhDanh { get; init; }
}

/// <summary>The household head and how the citizen is related to them (<c>"Chủ hộ"</c> for the head).</summary>
public sealed record HouseholdHeadRef
{
    public required string HoVaTen { get; init; }
    public required string SoDinhDanh { get; init; }
    public required string QuanHe { get; init; }
}

/// <summary>One citizen of the population database.</summary>
public sealed record Citizen
{
    /// <summary>12-digit CCCD <c>PPP G YY NNNNNN</c>.</summary>
    public required string SoDinhDanh { get; init; }

    /// <summary>Old 9-digit identity card, for citizens born before 1990; otherwise null.</summary>
    public string? SoCMND { get; init; }

    public required string Ho { get; init; }
    public required string TenDem { get; init; }
    public required string Ten { get; init; }

    /// <summary><c>Ho TenDem Ten</c>, NFC-normalised Vietnamese with diacritics.</summary>
    public required string HoVaTen { get; init; }

    public required Gender GioiTinh { get; init; }
    public required DateOnly NgaySinh { get; init; }
    public required string DanToc { get; init; }
    public required string TonGiao { get; init; }
    public required string QuocTich { get; init; }

    /// <summary>Old (pre-2025) 3-digit province-of-birth code, the first three digits of <see cref="SoDinhDanh"/>.</summary>
    public required string MaTinhKhaiSinh { get; init; }

    public required Address ThuongTru { get; init; }
    public required Address NoiOHienTai { get; init; }
    public required HouseholdHeadRef ChuHo { get; init; }
    public RelativeRef? Cha { get; init; }
    public RelativeRef? Me { get; init; }
    public RelativeRef? VoChong { get; init; }
}

/// <summary>A legal representative of a business; always a citizen of the dataset.</summary>
public sealed record LegalRepresentative
{
    public required string HoVaTen { get; init; }
    public required string ChucDanh { get; init; }
    public required string SoDinhDanh { get; init; }
}

/// <summary>A VSIC business line.</summary>
public sealed record BusinessLine
{
    public required string MaNganh { get; init; }
    public required string TenNganh { get; init; }
    public required bool LaNganhChinh { get; init; }
}

/// <summary>One enterprise of the business-registration database.</summary>
public sealed record Business
{
    /// <summary>10-digit tax code with a valid check digit.</summary>
    public required string MaSoDoanhNghiep { get; init; }

    public required string SoGCNDKKD { get; init; }
    public required string TenTiengViet { get; init; }

    /// <summary>1 private enterprise, 2 LLC (2+ members), 3 single-member LLC, 4 joint-stock, 5 partnership.</summary>
    public required string MaLoaiHinhDN { get; init; }

    public required DateOnly NgayDangKyLanDau { get; init; }
    public required string TinhTrangPhapLy { get; init; }
    public required IReadOnlyList<LegalRepresentative> DaiDienPhapLuat { get; init; }
    public required IReadOnlyList<Address> DiaChiTruSo { get; init; }
    public required IReadOnlyList<BusinessLine> NganhNgheKinhDoanh { get; init; }
}

/// <summary>
/// One participation period. Months are the first day of the month; <see cref="DenThang"/> null means
/// "still participating": the mock then answers the current month.
/// </summary>
public sealed record ParticipationPeriod
{
    public required DateOnly TuThang { get; init; }
    public DateOnly? DenThang { get; init; }

    /// <summary>Employer tax code; empty for voluntary participation.</summary>
    public required string MaSoThue { get; init; }

    public required string TenDonVi { get; init; }

    /// <summary><c>BB</c> compulsory or <c>TN</c> voluntary.</summary>
    public required string LoaiHinh { get; init; }
}

/// <summary>
/// A health-insurance card. Validity is relative to the calendar year in which the mock answers:
/// offset 0 is valid 01/01–31/12 of the current year, -1 expired at the end of last year.
/// </summary>
public sealed record HealthInsuranceCard
{
    /// <summary>15 characters: 2 letters, benefit digit, 2-digit province, 10-digit BHXH number.</summary>
    public required string MaThe { get; init; }

    public required string NoiDangKyKCB { get; init; }
    public required int ValidityYearOffset { get; init; }
}

/// <summary>One person's social-insurance record.</summary>
public sealed record InsuranceRecord
{
    /// <summary>10-digit social-insurance number.</summary>
    public required string MaSoBHXH { get; init; }

    public required string SoDinhDanh { get; init; }
    public required string HoTen { get; init; }
    public required DateOnly NgaySinh { get; init; }
    public required Gender GioiTinh { get; init; }
    public required IReadOnlyList<ParticipationPeriod> QuaTrinhThamGia { get; init; }
    public required HealthInsuranceCard TheBHYT { get; init; }
}

/// <summary>A land user named on a certificate; always a citizen of the dataset.</summary>
public sealed record LandUser
{
    public required string HoVaTen { get; init; }
    public required string SoDinhDanh { get; init; }
}

/// <summary>A land-use right certificate.</summary>
public sealed record LandCertificate
{
    public required string SoPhatHanh { get; init; }
    public required string SoVaoSo { get; init; }
    public required DateOnly NgayCap { get; init; }
    public required IReadOnlyList<LandUser> ChuSuDung { get; init; }
}

/// <summary>A land parcel, identified by commune, map sheet and parcel number.</summary>
public sealed record LandParcel
{
    public required string MaTinhThanh { get; init; }
    public required string MaPhuongXa { get; init; }
    public required int SoHieuBanDo { get; init; }
    public required int SoThuTuThua { get; init; }
    public required double DienTich { get; init; }
    public required string DiaChiChiTiet { get; init; }

    /// <summary>Land-use code, e.g. ODT (urban residential), ONT (rural residential), LUC (rice).</summary>
    public required string MucDichSuDung { get; init; }

    public required LandCertificate GiayChungNhan { get; init; }
}
