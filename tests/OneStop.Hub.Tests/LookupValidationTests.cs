using OneStop.Hub;
using OneStop.Hub.Lookups;
using OneStop.Schemas.Canonical;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class LookupValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));

    private static HubException Invalid(Action validate)
    {
        var e = Should.Throw<HubException>(validate);
        e.Kind.ShouldBe(HubErrorKind.InvalidArgument);
        return e;
    }

    [Fact]
    public void Citizen_lookup_without_any_id_names_so_dinh_danh() =>
        Invalid(() => LookupValidation.Validate(new CitizenQuery { HoVaTen = "Nguyễn Văn An" }, Now)).Field.ShouldBe("so_dinh_danh");

    [Fact]
    public void Citizen_lookup_with_bad_cccd_names_field_and_rule()
    {
        var e = Invalid(() => LookupValidation.Validate(new CitizenQuery { SoDinhDanh = "03808500012" }, Now));
        e.Field.ShouldBe("so_dinh_danh");
        e.Message.ShouldStartWith("so_dinh_danh: must be 12 digits");
    }

    [Fact]
    public void Citizen_lookup_whose_birth_year_contradicts_the_cccd_is_refused() =>
        Invalid(() => LookupValidation.Validate(
            new CitizenQuery { SoDinhDanh = "038085000123", NgayThangNamSinh = "1986-03-15" }, Now)).Field.ShouldBe("ngay_thang_nam_sinh");

    [Fact]
    public void Citizen_lookup_is_trimmed_before_it_leaves_the_hub()
    {
        var q = LookupValidation.Validate(new CitizenQuery { SoDinhDanh = " 038085000123 ", HoVaTen = " Nguyễn Văn An ", NgayThangNamSinh = "" }, Now);
        q.SoDinhDanh.ShouldBe("038085000123");
        q.HoVaTen.ShouldBe("Nguyễn Văn An");
        q.NgayThangNamSinh.ShouldBeNull();
    }

    [Fact]
    public void Citizen_lookup_with_overlong_context_names_the_nested_field() =>
        Invalid(() => LookupValidation.Validate(
            new CitizenQuery { SoDinhDanh = "038085000123", Context = new LookupContext { MucDich = new string('x', 201) } }, Now))
            .Field.ShouldBe("context.muc_dich");

    [Fact]
    public void Enterprise_lookup_with_wrong_check_digit_names_ma_so_doanh_nghiep()
    {
        var e = Invalid(() => LookupValidation.Validate(new EnterpriseQuery { MaSoDoanhNghiep = "2801234565" }));
        e.Field.ShouldBe("ma_so_doanh_nghiep");
        e.Message.ShouldContain("check digit");
    }

    [Fact]
    public void Insurance_lookup_with_nine_digit_bhxh_names_ma_so_bhxh() =>
        Invalid(() => LookupValidation.Validate(new InsuranceQuery { MaSoBhxh = "382000012" }, Now)).Field.ShouldBe("ma_so_bhxh");

    [Fact]
    public void Insurance_lookup_by_cccd_alone_is_accepted() =>
        LookupValidation.Validate(new InsuranceQuery { SoDinhDanh = "038085000123" }, Now).SoDinhDanh.ShouldBe("038085000123");

    [Theory]
    [InlineData("1601", 12, 345, "ma_phuong_xa")]
    [InlineData("16012", 0, 345, "so_hieu_ban_do")]
    [InlineData("16012", 12, -1, "so_thu_tu_thua")]
    public void Land_lookup_names_the_broken_field(string commune, int sheet, int parcel, string field) =>
        Invalid(() => LookupValidation.Validate(new LandParcelQuery { MaPhuongXa = commune, SoHieuBanDo = sheet, SoThuTuThua = parcel }))
            .Field.ShouldBe(field);
}
