using System.Globalization;

namespace OneStop.Hub.Dossiers;

/// <summary>Times on the hub's own APIs: ISO 8601 with an explicit offset (the national portal's yyyyMMddHHmmss is a mapping concern).</summary>
public static class IsoTime
{
    /// <summary>Null for an empty value; INVALID_ARGUMENT naming <paramref name="field"/> for anything but ISO 8601 with offset.</summary>
    public static DateTimeOffset? Parse(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var hasOffset = value.Length >= 20 && (value.EndsWith('Z') || value[^6] is '+' or '-');
        return hasOffset && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : throw HubException.Invalid(field, "must be an ISO 8601 time with offset, e.g. 2026-11-20T08:30:00+07:00");
    }
}
