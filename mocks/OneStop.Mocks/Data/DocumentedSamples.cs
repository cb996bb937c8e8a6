namespace OneStop.Mocks;

/// <summary>
/// The identifiers docs/adapters.md uses in its examples: always present in every dataset, whatever the seed.
/// The <c>Absent…</c> values are well-formed but never present, for not-found tests.
/// </summary>
public static class DocumentedSamples
{
    public const string CitizenSoDinhDanh = "038085000123";
    public const string CitizenSoCMND = "172000123";
    public const string CitizenHoVaTen = "Nguyễn Văn An";
    public static readonly DateOnly CitizenNgaySinh = new(1985, 3, 15);
    public const string CitizenMaSoBHXH = "3820000123";
    public const string CitizenTheBHYT = "DN4383820000123";

    public const string BusinessMaSoDoanhNghiep = "2801234564";
    public const string BusinessTenTiengViet = "Công ty TNHH Một Cửa Số";

    public const string LandMaPhuongXa = "16012";
    public const int LandSoHieuBanDo = 12;
    public const int LandSoThuTuThua = 345;

    /// <summary>A structurally valid CCCD that is never in the data (serials 900000–999999 are never issued).</summary>
    public const string AbsentSoDinhDanh = "038085999999";

    /// <summary>A 9-digit identity-card number that is never in the data.</summary>
    public const string AbsentSoCMND = "999999999";

    /// <summary>A 10-digit tax code with a valid check digit that is never in the data.</summary>
    public const string AbsentMaSoDoanhNghiep = "2899999990";

    /// <summary>A social-insurance number that is never in the data.</summary>
    public const string AbsentMaSoBHXH = "3899999999";

    /// <summary>Map sheet 999 does not exist in any commune of the data.</summary>
    public const int AbsentSoHieuBanDo = 999;
}
