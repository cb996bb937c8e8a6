using OneStop.Hub;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class IdentifierTests
{
    private static readonly DateTimeOffset Today = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(7));

    [Theory]
    [InlineData("038085000123")] // documented sample: Thanh Hóa, male, 1985
    [InlineData("001300123456")] // Hà Nội, female, 2000s (2000)
    [InlineData("079195000001")] // TP.HCM, female, 1995
    [InlineData("096026999999")] // Cà Mau, male, 2026: born this year
    public void Cccd_with_known_province_century_and_past_year_is_valid(string cccd) =>
        Identifiers.CheckCccd(cccd, Today).ShouldBeNull();

    [Theory]
    [InlineData("03808500012", "must be 12 digits")]
    [InlineData("0380850001234", "must be 12 digits")]
    [InlineData("03808500012A", "must be 12 digits")]
    [InlineData("", "must be 12 digits")]
    [InlineData("003085000123", "province-of-birth code")] // 003 was never a province code
    [InlineData("099085000123", "province-of-birth code")]
    [InlineData("038685000123", "century and gender")]
    [InlineData("038227000123", "future")] // 2027
    public void Cccd_breaking_a_rule_names_the_rule(string cccd, string rule) =>
        Identifiers.CheckCccd(cccd, Today).ShouldNotBeNull().ShouldContain(rule);

    [Fact]
    public void Cccd_error_never_echoes_the_number() =>
        Identifiers.CheckCccd("03808500012", Today).ShouldNotBeNull().ShouldNotContain("03808500012");

    [Theory]
    [InlineData("038085000123", 1985)]
    [InlineData("001300123456", 2000)]
    [InlineData("001209123456", 2009)]
    public void Cccd_birth_year_comes_from_century_digit_and_year_digits(string cccd, int year) =>
        Identifiers.CccdBirthYear(cccd).ShouldBe(year);

    [Theory]
    [InlineData("2801234564")] // documented sample
    [InlineData("0100109106")] // weights give 10 - (... mod 11) = 6
    [InlineData("2801234564-001")]
    [InlineData("2801234564001")]
    public void Mst_with_matching_check_digit_is_valid(string mst) =>
        Identifiers.CheckMst(mst).ShouldBeNull();

    [Theory]
    [InlineData("2801234565", "check digit")]
    [InlineData("2801234560", "check digit")]
    [InlineData("280123456", "10 digits")]
    [InlineData("28012345641", "10 digits")]
    [InlineData("2801234564-01", "10 digits")]
    [InlineData("28012345X4", "10 digits")]
    [InlineData("2801234564-000", "branch suffix")]
    public void Mst_breaking_a_rule_names_the_rule(string mst, string rule) =>
        Identifiers.CheckMst(mst).ShouldNotBeNull().ShouldContain(rule);

    [Fact]
    public void Mst_whose_first_nine_digits_give_check_value_ten_is_invalid()
    {
        // Find nine digits whose weighted sum is 0 mod 11, so 10 - 0 = 10: no valid check digit exists.
        var head = Enumerable.Range(100_000_000, 1000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .First(s => s.Select((c, i) => (c - '0') * new[] { 31, 29, 23, 19, 17, 13, 7, 5, 3 }[i]).Sum() % 11 == 0);
        for (var d = 0; d <= 9; d++)
        {
            Identifiers.CheckMst(head + d).ShouldNotBeNull().ShouldContain("no check digit");
        }
    }

    [Theory]
    [InlineData("3820000123", true)]
    [InlineData("382000012", false)]
    [InlineData("38200001234", false)]
    [InlineData("38200O0123", false)]
    public void Bhxh_is_ten_digits(string bhxh, bool valid) =>
        (Identifiers.CheckBhxh(bhxh) is null).ShouldBe(valid);

    [Theory]
    [InlineData("123456789", true)]
    [InlineData("12345678", false)]
    [InlineData("1234567890", false)]
    public void Cmnd_is_nine_digits(string cmnd, bool valid) =>
        (Identifiers.CheckCmnd(cmnd) is null).ShouldBe(valid);

    [Theory]
    [InlineData("1985-03-15", true)]
    [InlineData("1985", true)]
    [InlineData("15/03/1985", false)]
    [InlineData("1985-02-30", false)]
    [InlineData("2026-12-01", false)] // future
    [InlineData("1850", false)]
    public void Birth_date_is_yyyy_MM_dd_or_yyyy_and_not_in_the_future(string date, bool valid) =>
        (Identifiers.CheckBirthDate(date, Today, out _) is null).ShouldBe(valid);

    [Theory]
    [InlineData("16012", true)]
    [InlineData("1601", false)]
    [InlineData("160123", false)]
    public void Commune_code_is_five_digits(string code, bool valid) =>
        (Identifiers.CheckMaPhuongXa(code) is null).ShouldBe(valid);

    [Fact]
    public void Masking_keeps_length_and_last_three_only()
    {
        PersonalData.MaskId("038085000123").ShouldBe("*********123");
        PersonalData.MaskId("").ShouldBe("");
        PersonalData.MaskId("12").ShouldBe("**");
    }
}
