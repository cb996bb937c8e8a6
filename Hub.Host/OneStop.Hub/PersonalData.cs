namespace OneStop.Hub;

/// <summary>
/// Masks personal data for logs, metrics and traces: identifiers keep their length and last three
/// characters (enough for an operator to tell two records apart), everything else is starred.
/// Names, addresses and phone numbers are never logged at all.
/// </summary>
public static class PersonalData
{
    public static string MaskId(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.Length <= 4 ? new string('*', value.Length) : string.Concat(new string('*', value.Length - 3), value.AsSpan(value.Length - 3));
    }

    /// <summary>
    /// A value of unknown meaning, as a report may show it: an identifier-like value (digits and <c>- . /</c>) as
    /// <see cref="MaskId"/> does; any other text (a name, an address) entirely starred, keeping only its length.
    /// </summary>
    public static string MaskValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.All(c => char.IsAsciiDigit(c) || c is '-' or '.' or '/' or '+' or ':')
            ? MaskId(value)
            : new string('*', Math.Min(value.Length, 24));
    }
}
