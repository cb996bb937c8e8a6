using System.Text;
using System.Text.Json;
using OneStop.Mocks.Internal;

namespace OneStop.Mocks.Tests;

public sealed class SyntheticDatasetTests
{
    private static readonly SyntheticDataset Data = SyntheticDataset.Default;

    private static readonly HashSet<string> CurrentProvinces =
    [
        "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38", "40",
        "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82", "86", "91", "92", "96",
    ];

    private static readonly HashSet<string> BirthProvinces =
    [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
        "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
        "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
    ];

    [Fact]
    public void Reference_tables_hold_34_provinces_and_63_birth_codes()
    {
        AdministrativeUnits.Provinces.Select(p => p.Code).ToHashSet().SetEquals(CurrentProvinces).ShouldBeTrue();
        AdministrativeUnits.BirthProvinceCodes.ToHashSet().SetEquals(BirthProvinces).ShouldBeTrue();
        AdministrativeUnits.BirthProvinceToCurrent.Values.ShouldAllBe(code => CurrentProvinces.Contains(code));
        AdministrativeUnits.Communes.Select(c => c.ProvinceCode).ToHashSet().SetEquals(CurrentProvinces).ShouldBeTrue();
        AdministrativeUnits.Communes.Select(c => c.Code).ShouldBeUnique();
        AdministrativeUnits.Communes.ShouldAllBe(c => c.Code.Length == 5 && c.Code.All(char.IsAsciiDigit));
    }

    [Fact]
    public void Has_at_least_1000_citizens_with_unique_structurally_valid_CCCDs()
    {
        Data.Citizens.Count.ShouldBeGreaterThanOrEqualTo(1000);
        Data.Citizens.Select(c => c.SoDinhDanh).ShouldBeUnique();
        foreach (var c in Data.Citizens)
        {
            c.SoDinhDanh.Length.ShouldBe(12);
            c.SoDinhDanh.ShouldAllBe(ch => char.IsAsciiDigit(ch));
            BirthProvinces.ShouldContain(c.SoDinhDanh[..3]);
            c.SoDinhDanh[..3].ShouldBe(c.MaTinhKhaiSinh);
            var g = c.SoDinhDanh[3] - '0';
            g.ShouldBe((c.NgaySinh.Year >= 2000 ? 2 : 0) + (c.GioiTinh == Gender.Female ? 1 : 0), c.SoDinhDanh);
            c.SoDinhDanh.Substring(4, 2).ShouldBe((c.NgaySinh.Year % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
            Identifiers.IsValidCccd(c.SoDinhDanh, c.NgaySinh.Year, c.GioiTinh).ShouldBeTrue(c.SoDinhDanh);
            c.NgaySinh.Year.ShouldBeInRange(1940, 2008);
        }
    }

    [Fact]
    public void Citizens_born_before_1990_have_a_unique_9_digit_SoCMND_and_later_ones_none()
    {
        foreach (var c in Data.Citizens)
        {
            if (c.NgaySinh.Year < 1990)
            {
                c.SoCMND.ShouldNotBeNull();
                c.SoCMND.Length.ShouldBe(9);
                c.SoCMND.ShouldAllBe(ch => char.IsAsciiDigit(ch));
            }
            else
            {
                c.SoCMND.ShouldBeNull();
            }
        }

        Data.Citizens.Where(c => c.SoCMND is not null).Select(c => c.SoCMND).ShouldBeUnique();
    }

    [Fact]
    public void Names_are_Vietnamese_with_diacritics_and_match_the_gender()
    {
        foreach (var c in Data.Citizens)
        {
            c.HoVaTen.ShouldBe($"{c.Ho} {c.TenDem} {c.Ten}");
            c.HoVaTen.IsNormalized(NormalizationForm.FormC).ShouldBeTrue(c.HoVaTen);
            if (c.TenDem == "Văn")
            {
                c.GioiTinh.ShouldBe(Gender.Male);
            }

            if (c.TenDem == "Thị")
            {
                c.GioiTinh.ShouldBe(Gender.Female);
            }
        }

        Data.Citizens.Count(c => c.HoVaTen.Any(ch => ch > 127)).ShouldBeGreaterThan(Data.Citizens.Count / 2);
        Data.Citizens.Count(c => c.Ho == "Nguyễn").ShouldBeGreaterThan(Data.Citizens.Count / 5);
        Data.Citizens.Count(c => c.GioiTinh == Gender.Female).ShouldBeInRange(Data.Citizens.Count * 35 / 100, Data.Citizens.Count * 65 / 100);
    }

    [Fact]
    public void Ethnicity_is_mostly_Kinh_and_every_citizen_is_Vietnamese()
    {
        Data.Citizens.Count(c => c.DanToc == "Kinh").ShouldBeGreaterThan(Data.Citizens.Count * 7 / 10);
        Data.Citizens.Select(c => c.DanToc).Distinct().Count().ShouldBeGreaterThan(3);
        Data.Citizens.ShouldAllBe(c => c.QuocTich == "Việt Nam" && c.TonGiao.Length > 0);
    }

    [Fact]
    public void Addresses_use_current_province_and_commune_codes_without_districts()
    {
        var addresses = Data.Citizens.SelectMany(c => new[] { c.ThuongTru, c.NoiOHienTai })
            .Concat(Data.Businesses.SelectMany(b => b.DiaChiTruSo));
        foreach (var a in addresses)
        {
            CurrentProvinces.ShouldContain(a.MaTinhThanh);
            AdministrativeUnits.Commune(a.MaPhuongXa).ProvinceCode.ShouldBe(a.MaTinhThanh);
            a.ChiTiet.ShouldContain(AdministrativeUnits.Commune(a.MaPhuongXa).Name);
            a.ChiTiet.ShouldNotContain("Quận");
            a.ChiTiet.ShouldNotContain("Huyện");
        }
    }

    [Fact]
    public void Household_heads_parents_and_spouses_point_at_citizens_of_the_data()
    {
        foreach (var c in Data.Citizens)
        {
            var head = Data.FindCitizen(c.ChuHo.SoDinhDanh).ShouldNotBeNull();
            head.HoVaTen.ShouldBe(c.ChuHo.HoVaTen);
            head.ChuHo.QuanHe.ShouldBe("Chủ hộ");
            head.ThuongTru.ShouldBe(c.ThuongTru);
            (c.ChuHo.QuanHe == "Chủ hộ").ShouldBe(c.ChuHo.SoDinhDanh == c.SoDinhDanh);

            if (c.Cha?.SoDinhDanh is { } fatherId)
            {
                var father = Data.FindCitizen(fatherId).ShouldNotBeNull();
                father.HoVaTen.ShouldBe(c.Cha.HoVaTen);
                father.GioiTinh.ShouldBe(Gender.Male);
                father.NgaySinh.ShouldBeLessThan(c.NgaySinh.AddYears(-16));
            }

            if (c.Me?.SoDinhDanh is { } motherId)
            {
                var mother = Data.FindCitizen(motherId).ShouldNotBeNull();
                mother.HoVaTen.ShouldBe(c.Me.HoVaTen);
                mother.GioiTinh.ShouldBe(Gender.Female);
                mother.NgaySinh.ShouldBeLessThan(c.NgaySinh.AddYears(-16));
            }

            if (c.VoChong?.SoDinhDanh is { } spouseId)
            {
                var spouse = Data.FindCitizen(spouseId).ShouldNotBeNull();
                spouse.HoVaTen.ShouldBe(c.VoChong.HoVaTen);
                spouse.VoChong.ShouldNotBeNull().SoDinhDanh.ShouldBe(c.SoDinhDanh);
                spouse.GioiTinh.ShouldNotBe(c.GioiTinh);
            }
        }

        Data.Citizens.Count(c => c.Cha?.SoDinhDanh is not null).ShouldBeGreaterThan(100);
        Data.Citizens.Count(c => c.VoChong is not null).ShouldBeGreaterThan(200);
    }

    [Fact]
    public void Has_200_businesses_with_unique_valid_tax_codes_and_representatives_from_the_citizens()
    {
        Data.Businesses.Count.ShouldBe(200);
        Data.Businesses.Select(b => b.MaSoDoanhNghiep).ShouldBeUnique();
        Data.Businesses.Select(b => b.TenTiengViet).ShouldBeUnique();
        foreach (var b in Data.Businesses)
        {
            IsValidMst(b.MaSoDoanhNghiep).ShouldBeTrue(b.MaSoDoanhNghiep);
            b.SoGCNDKKD.ShouldBe(b.MaSoDoanhNghiep);
            b.MaLoaiHinhDN.ShouldBeOneOf("1", "2", "3", "4", "5");
            b.DaiDienPhapLuat.ShouldNotBeEmpty();
            foreach (var rep in b.DaiDienPhapLuat)
            {
                var person = Data.FindCitizen(rep.SoDinhDanh).ShouldNotBeNull();
                person.HoVaTen.ShouldBe(rep.HoVaTen);
                person.NgaySinh.AddYears(18).ShouldBeLessThanOrEqualTo(b.NgayDangKyLanDau);
            }

            b.NganhNgheKinhDoanh.Count(l => l.LaNganhChinh).ShouldBe(1);
            b.NganhNgheKinhDoanh.ShouldAllBe(l => l.MaNganh.Length == 4 && l.TenNganh.Length > 0);
            b.DiaChiTruSo.Count.ShouldBe(1);
            b.NgayDangKyLanDau.ShouldBeLessThanOrEqualTo(SyntheticDataset.GeneratedAsOf);
        }
    }

    [Fact]
    public void Insurance_covers_about_60_percent_of_citizens_with_periods_at_businesses_of_the_data()
    {
        var share = (double)Data.InsuranceRecords.Count / Data.Citizens.Count;
        share.ShouldBeInRange(0.5, 0.7);
        Data.InsuranceRecords.Select(r => r.MaSoBHXH).ShouldBeUnique();
        Data.InsuranceRecords.Select(r => r.SoDinhDanh).ShouldBeUnique();
        foreach (var r in Data.InsuranceRecords)
        {
            r.MaSoBHXH.Length.ShouldBe(10);
            r.MaSoBHXH.ShouldAllBe(ch => char.IsAsciiDigit(ch));
            var person = Data.FindCitizen(r.SoDinhDanh).ShouldNotBeNull();
            (person.HoVaTen, person.NgaySinh, person.GioiTinh).ShouldBe((r.HoTen, r.NgaySinh, r.GioiTinh));

            var card = r.TheBHYT.MaThe;
            card.Length.ShouldBe(15);
            char.IsAsciiLetterUpper(card[0]).ShouldBeTrue(card);
            char.IsAsciiLetterUpper(card[1]).ShouldBeTrue(card);
            card[2].ShouldBeInRange('1', '5');
            CurrentProvinces.ShouldContain(card.Substring(3, 2));
            card[5..].ShouldBe(r.MaSoBHXH);
            r.TheBHYT.NoiDangKyKCB.Length.ShouldBe(5);

            DateOnly? previousEnd = null;
            foreach (var p in r.QuaTrinhThamGia)
            {
                p.TuThang.Day.ShouldBe(1);
                p.TuThang.ShouldBeGreaterThanOrEqualTo(r.NgaySinh.AddYears(18));
                if (previousEnd is { } end)
                {
                    p.TuThang.ShouldBeGreaterThan(end);
                }

                if (p.DenThang is { } to)
                {
                    to.ShouldBeGreaterThanOrEqualTo(p.TuThang);
                }

                p.LoaiHinh.ShouldBeOneOf("BB", "TN");
                if (p.LoaiHinh == "BB")
                {
                    var employer = Data.FindBusiness(p.MaSoThue).ShouldNotBeNull();
                    employer.TenTiengViet.ShouldBe(p.TenDonVi);
                    employer.NgayDangKyLanDau.ShouldBeLessThanOrEqualTo(p.TuThang);
                }

                previousEnd = p.DenThang ?? DateOnly.MaxValue;
            }
        }

        Data.InsuranceRecords.Count(r => r.QuaTrinhThamGia.Any(p => p.LoaiHinh == "BB")).ShouldBeGreaterThan(200);
    }

    [Fact]
    public void Has_several_hundred_land_parcels_owned_by_citizens()
    {
        Data.LandParcels.Count.ShouldBeGreaterThanOrEqualTo(300);
        Data.LandParcels.Select(p => (p.MaPhuongXa, p.SoHieuBanDo, p.SoThuTuThua)).ShouldBeUnique();
        Data.LandParcels.Select(p => p.GiayChungNhan.SoPhatHanh).ShouldBeUnique();
        foreach (var p in Data.LandParcels)
        {
            AdministrativeUnits.Commune(p.MaPhuongXa).ProvinceCode.ShouldBe(p.MaTinhThanh);
            p.DienTich.ShouldBeGreaterThan(0);
            p.MucDichSuDung.Length.ShouldBe(3);
            p.GiayChungNhan.ChuSuDung.ShouldNotBeEmpty();
            foreach (var user in p.GiayChungNhan.ChuSuDung)
            {
                var owner = Data.FindCitizen(user.SoDinhDanh).ShouldNotBeNull();
                owner.HoVaTen.ShouldBe(user.HoVaTen);
                owner.NgaySinh.AddYears(18).ShouldBeLessThanOrEqualTo(p.GiayChungNhan.NgayCap);
            }
        }
    }

    [Fact]
    public void Documented_samples_are_present_with_the_documented_values()
    {
        var an = Data.FindCitizen("038085000123").ShouldNotBeNull();
        an.HoVaTen.ShouldBe("Nguyễn Văn An");
        an.GioiTinh.ShouldBe(Gender.Male);
        an.NgaySinh.ShouldBe(new DateOnly(1985, 3, 15));
        an.SoCMND.ShouldBe(DocumentedSamples.CitizenSoCMND);
        Data.FindCitizenBySoCMND(DocumentedSamples.CitizenSoCMND).ShouldBeSameAs(an);

        var insurance = Data.FindInsurance("3820000123").ShouldNotBeNull();
        insurance.SoDinhDanh.ShouldBe("038085000123");
        insurance.TheBHYT.MaThe.ShouldBe("DN4383820000123");
        Data.FindInsuranceBySoDinhDanh("038085000123").ShouldBeSameAs(insurance);

        var business = Data.FindBusiness("2801234564").ShouldNotBeNull();
        business.TenTiengViet.ShouldBe("Công ty TNHH Một Cửa Số");
        business.NgayDangKyLanDau.ShouldBe(new DateOnly(2015, 6, 1));

        var parcel = Data.FindLandParcel("16012", 12, 345).ShouldNotBeNull();
        parcel.MaTinhThanh.ShouldBe("38");
        parcel.GiayChungNhan.ChuSuDung.ShouldContain(u => u.SoDinhDanh == "038085000123");
    }

    [Fact]
    public void Absent_identifiers_are_well_formed_but_not_in_the_data()
    {
        Identifiers.IsValidCccd("038085999999").ShouldBeTrue();
        Data.FindCitizen("038085999999").ShouldBeNull();
        Data.Citizens.ShouldNotContain(c => c.SoDinhDanh.EndsWith("999999", StringComparison.Ordinal));
        Data.FindCitizenBySoCMND(DocumentedSamples.AbsentSoCMND).ShouldBeNull();

        IsValidMst(DocumentedSamples.AbsentMaSoDoanhNghiep).ShouldBeTrue();
        Data.FindBusiness(DocumentedSamples.AbsentMaSoDoanhNghiep).ShouldBeNull();
        Data.FindInsurance(DocumentedSamples.AbsentMaSoBHXH).ShouldBeNull();
        Data.FindLandParcel(DocumentedSamples.LandMaPhuongXa, DocumentedSamples.AbsentSoHieuBanDo, DocumentedSamples.LandSoThuTuThua).ShouldBeNull();
    }

    [Fact]
    public void The_same_seed_gives_the_same_data()
    {
        var first = SyntheticDataset.Create(468);
        var second = SyntheticDataset.Create(468);
        Snapshot(first).ShouldBe(Snapshot(second));
        Snapshot(first).ShouldBe(Snapshot(SyntheticDataset.Default));
    }

    [Fact]
    public void Another_seed_gives_other_data_but_keeps_the_documented_samples()
    {
        var other = SyntheticDataset.Create(seed: 7);
        Snapshot(other).ShouldNotBe(Snapshot(SyntheticDataset.Default));
        other.Citizens.Count.ShouldBeGreaterThanOrEqualTo(1000);
        other.FindCitizen(DocumentedSamples.CitizenSoDinhDanh).ShouldNotBeNull();
        other.FindBusiness(DocumentedSamples.BusinessMaSoDoanhNghiep).ShouldNotBeNull();
        other.FindInsurance(DocumentedSamples.CitizenMaSoBHXH).ShouldNotBeNull();
        other.FindLandParcel(DocumentedSamples.LandMaPhuongXa, DocumentedSamples.LandSoHieuBanDo, DocumentedSamples.LandSoThuTuThua).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("2801234564", true)]
    [InlineData("2801234565", false)]
    [InlineData("0100109106", true)]
    [InlineData("280123456", false)]
    [InlineData("28012345a4", false)]
    public void Mst_check_digit_follows_the_weighted_mod_11_rule(string mst, bool valid) =>
        IsValidMst(mst).ShouldBe(valid);

    /// <summary>An independent implementation of the rule in shared/domain.md.</summary>
    private static bool IsValidMst(string mst)
    {
        if (mst.Length != 10 || !mst.All(char.IsAsciiDigit))
        {
            return false;
        }

        int[] weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
        var sum = weights.Select((w, i) => w * (mst[i] - '0')).Sum();
        var check = 10 - (sum % 11);
        return check != 10 && check == mst[9] - '0' && Identifiers.IsValidMst(mst);
    }

    private static string Snapshot(SyntheticDataset d) =>
        JsonSerializer.Serialize(new { d.Citizens, d.Businesses, d.InsuranceRecords, d.LandParcels });
}
