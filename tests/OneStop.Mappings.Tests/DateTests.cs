using Shouldly;
using Xunit;
using static OneStop.Mappings.Tests.TestMappings;

namespace OneStop.Mappings.Tests;

public sealed class DateTests
{
    [Theory]
    [InlineData("yyyyMMdd", "yyyy-MM-dd", "19850315", "1985-03-15")]
    [InlineData("dd/MM/yyyy", "yyyy-MM-dd", "15/03/1985", "1985-03-15")]
    [InlineData("MM/yyyy", "yyyy-MM", "01/2010", "2010-01")]
    [InlineData("yyyy-MM-dd", "yyyyMMdd", "1985-03-15", "19850315")]
    [InlineData("yyyyMMddHHmmss", "dd/MM/yyyy HH:mm", "20250701083000", "01/07/2025 08:30")]
    public void Date_is_reformatted(string from, string to, string input, string expected)
    {
        var m = Map($"fields:\n  d: {{ path: D, date: {{ from: \"{from}\", to: \"{to}\" }} }}\n");

        m.Apply(Json($$"""{"D":"{{input}}"}"""))!["d"]!.GetValue<string>().ShouldBe(expected);
    }

    [Fact]
    public void Local_portal_time_becomes_iso_with_the_zone_offset()
    {
        var m = Map("fields:\n  ngay_tiep_nhan: { path: NgayTiepNhan, date: { from: yyyyMMddHHmmss, to: iso, zone: Asia/Ho_Chi_Minh } }\n");

        Run(m, """{"NgayTiepNhan":"20250701083000"}""").ShouldBe("""{"ngay_tiep_nhan":"2025-07-01T08:30:00+07:00"}""");
    }

    [Theory]
    [InlineData("2025-07-01T01:30:00Z", "20250701083000")]
    [InlineData("2025-07-01T08:30:00+07:00", "20250701083000")]
    [InlineData("2025-06-30T20:30:00-05:00", "20250701083000")]
    [InlineData("2025-06-30T23:59:59.9990000Z", "20250701065959")]
    [InlineData("2025-07-01T08:30:00", "20250701083000")]
    public void Iso_time_becomes_portal_local_time_in_the_zone(string input, string expected)
    {
        var m = Map("fields:\n  NgayTiepNhan: { path: ngay_tiep_nhan, date: { from: iso, to: yyyyMMddHHmmss, zone: Asia/Ho_Chi_Minh } }\n", "portal.request");

        m.Apply(Json($$"""{"ngay_tiep_nhan":"{{input}}"}"""))!["NgayTiepNhan"]!.GetValue<string>().ShouldBe(expected);
    }

    [Fact]
    public void Iso_to_iso_is_shown_in_the_zone()
    {
        var m = Map("fields:\n  t: { path: T, date: { from: iso, to: iso, zone: Asia/Ho_Chi_Minh } }\n");

        Run(m, """{"T":"2025-07-01T01:30:00.5Z"}""").ShouldBe("""{"t":"2025-07-01T08:30:00.5+07:00"}""");
    }

    [Fact]
    public void Round_trip_through_both_directions_gives_back_the_portal_time()
    {
        var toIso = Map("fields:\n  t: { path: T, date: { from: yyyyMMddHHmmss, to: iso, zone: Asia/Ho_Chi_Minh } }\n");
        var back = Map("fields:\n  T: { path: t, date: { from: iso, to: yyyyMMddHHmmss, zone: Asia/Ho_Chi_Minh } }\n", "test.request");

        var iso = toIso.Apply(Json("""{"T":"20251231235959"}"""));

        back.Apply(iso)!["T"]!.GetValue<string>().ShouldBe("20251231235959");
    }

    [Fact]
    public void Date_that_does_not_match_the_format_throws()
    {
        var m = Map("fields:\n  ngay_sinh: { path: NgaySinh, date: { from: dd/MM/yyyy, to: yyyy-MM-dd } }\n", "insurance.reply");

        var ex = Should.Throw<MappingException>(() => m.Apply(Json("""{"NgaySinh":"1985-03-15"}""")));
        ex.Message.ShouldBe("insurance.reply: ngay_sinh: value is not a date in format dd/MM/yyyy");
        ex.OffendingValue.ShouldBe("1985-03-15", "the value travels beside the message, which reaches logs and callers");
    }

    [Fact]
    public void Text_that_is_not_iso_throws()
    {
        var m = Map("fields:\n  T: { path: t, date: { from: iso, to: yyyyMMddHHmmss, zone: Asia/Ho_Chi_Minh } }\n", "test.request");

        var ex = Should.Throw<MappingException>(() => m.Apply(Json("""{"t":"01/07/2025"}""")));
        ex.Rule.ShouldBe("value is not an ISO 8601 date");
        ex.OffendingValue.ShouldBe("01/07/2025");
    }
}
