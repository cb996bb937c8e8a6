using System.Collections.Frozen;
using System.Globalization;

namespace OneStop.Hub;

/// <summary>
/// Rules for the identifiers the national systems use. Each check returns null when the value is
/// valid, or the rule it breaks, phrased to follow the field name ("so_dinh_danh: must be 12 digits").
/// The submitted value never appears in the text.
/// </summary>
public static class Identifiers
{
    /// <summary>Province-of-birth codes (PPP) of the CCCD: the 63 pre-2025 provinces, which stay valid in issued numbers.</summary>
    public static readonly FrozenSet<string> CccdProvinceCodes = new[]
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
        "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
        "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly int[] MstWeights = [31, 29, 23, 19, 17, 13, 7, 5, 3];

    /// <summary>CCCD / personal ID: 12 digits <c>PPP G YY NNNNNN</c>.</summary>
    public static string? CheckCccd(string value, DateTimeOffset today)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != 12 || !AllDigits(value))
        {
            return $"must be 12 digits (PPP G YY NNNNNN), got {Describe(value)}";
        }

        if (!CccdProvinceCodes.Contains(value[..3]))
        {
            return "digits 1-3 (province-of-birth code) are not a known province code";
        }

        var g = value[3] - '0';
        if (g > 5)
        {
            return "digit 4 (century and gender) must be 0-5";
        }

        var year = CccdBirthYear(value);
        return year > today.Year ? "digits 4-6 (century, gender, birth year) encode a birth year in the future" : null;
    }

    /// <summary>Birth year encoded in a structurally valid CCCD: century from digit 4, year from digits 5-6.</summary>
    public static int CccdBirthYear(string cccd)
    {
        ArgumentNullException.ThrowIfNull(cccd);
        var century = 1900 + ((cccd[3] - '0') / 2 * 100);
        return century + int.Parse(cccd.AsSpan(4, 2), CultureInfo.InvariantCulture);
    }

    /// <summary>Old ID card (CMND): 9 digits.</summary>
    public static string? CheckCmnd(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 9 && AllDigits(value) ? null : $"must be 9 digits, got {Describe(value)}";
    }

    /// <summary>
    /// Tax code / business number (MST): 10 digits whose 10th is the check digit
    /// <c>10 - (Σ wᵢ·dᵢ mod 11)</c> with weights 31, 29, 23, 19, 17, 13, 7, 5, 3; a branch adds 3 digits
    /// (written as 13 digits or as 10 digits, a hyphen and 3 digits).
    /// </summary>
    public static string? CheckMst(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string head;
        string? branch = null;
        if (value.Length == 14 && value[10] == '-')
        {
            head = value[..10];
            branch = value[11..];
        }
        else if (value.Length == 13)
        {
            head = value[..10];
            branch = value[10..];
        }
        else if (value.Length == 10)
        {
            head = value;
        }
        else
        {
            return $"must be 10 digits, or 13 for a branch (10 digits + -NNN), got {Describe(value)}";
        }

        if (!AllDigits(head) || (branch is not null && !AllDigits(branch)))
        {
            return $"must be 10 digits, or 13 for a branch (10 digits + -NNN), got {Describe(value)}";
        }

        if (branch == "000")
        {
            return "branch suffix must be 001-999";
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += MstWeights[i] * (head[i] - '0');
        }

        var check = 10 - (sum % 11);
        if (check == 10)
        {
            return "digits 1-9 admit no check digit (10 - sum mod 11 is 10), so this is not an issued MST";
        }

        return head[9] - '0' == check ? null : "check digit (10th digit) does not match digits 1-9";
    }

    /// <summary>Social-insurance number (MaSoBHXH): 10 digits.</summary>
    public static string? CheckBhxh(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 10 && AllDigits(value) ? null : $"must be 10 digits, got {Describe(value)}";
    }

    /// <summary>Commune code (MaPhuongXa): 5 digits.</summary>
    public static string? CheckMaPhuongXa(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 5 && AllDigits(value) ? null : $"must be the 5-digit commune code, got {Describe(value)}";
    }

    /// <summary>Birth date as the population database takes it: <c>yyyy-MM-dd</c> or <c>yyyy</c>, not in the future.</summary>
    public static string? CheckBirthDate(string value, DateTimeOffset today, out int year)
    {
        ArgumentNullException.ThrowIfNull(value);
        year = 0;
        if (value.Length == 4 && AllDigits(value))
        {
            year = int.Parse(value, CultureInfo.InvariantCulture);
        }
        else if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date > DateOnly.FromDateTime(today.Date))
            {
                return "is in the future";
            }

            year = date.Year;
        }
        else
        {
            return "must be yyyy-MM-dd or yyyy";
        }

        return year < 1880 || year > today.Year ? "year is out of range" : null;
    }

    private static bool AllDigits(string s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    // Says what was wrong with the shape without echoing the (personal) value.
    private static string Describe(string value)
    {
        if (value.Length == 0)
        {
            return "an empty value";
        }

        var nonDigits = value.Count(c => c is < '0' or > '9');
        return nonDigits == 0
            ? $"{value.Length} digits"
            : $"{value.Length} characters of which {nonDigits} not digits";
    }
}
