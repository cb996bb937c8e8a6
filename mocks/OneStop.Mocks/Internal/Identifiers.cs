namespace OneStop.Mocks.Internal;

/// <summary>Structural rules of the identifiers in shared/domain.md, used to generate and to check the data.</summary>
internal static class Identifiers
{
    private static readonly int[] MstWeights = [31, 29, 23, 19, 17, 13, 7, 5, 3];

    /// <summary>The MST check digit for 9 leading digits, or null where the rule gives 10 (no valid code).</summary>
    public static int? MstCheckDigit(ReadOnlySpan<char> first9)
    {
        if (first9.Length != 9)
        {
            throw new ArgumentException("Exactly 9 digits are needed.", nameof(first9));
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            if (!char.IsAsciiDigit(first9[i]))
            {
                throw new ArgumentException("Digits only.", nameof(first9));
            }

            sum += MstWeights[i] * (first9[i] - '0');
        }

        var check = 10 - (sum % 11);
        return check == 10 ? null : check;
    }

    public static bool IsValidMst(string? mst) =>
        mst is { Length: 10 } && mst.All(char.IsAsciiDigit) && MstCheckDigit(mst.AsSpan(0, 9)) == mst[9] - '0';

    /// <summary>12 digits, a known province-of-birth code, a gender/century digit 0–5 that agrees with <paramref name="birthYear"/> when given.</summary>
    public static bool IsValidCccd(string? id, int? birthYear = null, Gender? gender = null)
    {
        if (id is not { Length: 12 } || !id.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (!AdministrativeUnits.BirthProvinceToCurrent.ContainsKey(id[..3]))
        {
            return false;
        }

        var g = id[3] - '0';
        if (g > 5)
        {
            return false;
        }

        var century = 1900 + (g / 2 * 100);
        var year = century + int.Parse(id.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture);
        if (birthYear is { } y && y != year)
        {
            return false;
        }

        return gender is not { } sex || (sex == Gender.Male) == (g % 2 == 0);
    }

    /// <summary>The gender/century digit G of a CCCD.</summary>
    public static char CccdGenderCentury(Gender gender, int birthYear)
    {
        var centuryIndex = (birthYear / 100) - 19;
        if (centuryIndex is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(birthYear), "Births 1900–2199 only.");
        }

        return (char)('0' + (centuryIndex * 2) + (gender == Gender.Female ? 1 : 0));
    }
}
