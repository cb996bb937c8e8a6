namespace OneStop.Mappings.Internal;

/// <summary>Time zone lookup by IANA (or Windows) id.</summary>
internal static class TimeZones
{
    // Viet Nam has kept UTC+07:00 without daylight saving since 1975; hosts without tzdata still know it.
    private static readonly TimeZoneInfo VietNam = TimeZoneInfo.CreateCustomTimeZone(
        "Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Asia/Ho_Chi_Minh", "Indochina Time");

    public static TimeZoneInfo? Find(string id)
    {
        if (id.Length == 0)
        {
            return null;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        return id is "Asia/Ho_Chi_Minh" or "Asia/Saigon" ? VietNam : null;
    }
}
