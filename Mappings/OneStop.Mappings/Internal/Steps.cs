using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

/// <summary>A transformation of a present value. Returns a new node (never one of the definition's or the source's).</summary>
internal interface IValueStep
{
    JsonNode? Apply(JsonNode value, FieldRule rule);
}

internal static class StepText
{
    public static string Of(JsonNode value, FieldRule rule, string what) =>
        Json.Text(value) ?? throw rule.Fail($"value is not a scalar and cannot be used with {what}", Json.ShowJson(value));
}

internal enum SplitTake
{
    First,
    Last,
    RestAfterFirst,
    Index,
}

/// <summary><c>split: { separator: " ", take: last }</c>.</summary>
internal sealed class SplitStep(string separator, SplitTake take, int index) : IValueStep
{
    public JsonNode? Apply(JsonNode value, FieldRule rule)
    {
        var text = StepText.Of(value, rule, "split");
        var parts = text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        string? result = take switch
        {
            SplitTake.First => parts[0],
            SplitTake.Last => parts[^1],
            SplitTake.RestAfterFirst => parts.Length > 1 ? string.Join(separator, parts, 1, parts.Length - 1) : null,
            _ => index < parts.Length ? parts[index] : null,
        };
        return result is null ? null : JsonValue.Create(result);
    }
}

/// <summary><c>table: gioi-tinh</c>: code lookup by the value's text.</summary>
internal sealed class TableStep(string tableName, Dictionary<string, JsonNode> entries, JsonNode? fallback) : IValueStep
{
    public string TableName => tableName;

    public IReadOnlyDictionary<string, JsonNode> Entries => entries;

    public JsonNode? Fallback => fallback;

    public JsonNode? Apply(JsonNode value, FieldRule rule)
    {
        var code = StepText.Of(value, rule, "a table");
        if (entries.TryGetValue(code, out var mapped))
        {
            return Json.Copy(mapped);
        }

        if (fallback is not null)
        {
            return Json.Copy(fallback);
        }

        throw rule.Fail($"code {code} has no entry in table {tableName}");
    }
}

/// <summary>
/// <c>date: { from, to, zone }</c>. A format is a .NET custom date format (yyyy-MM-dd, dd/MM/yyyy, …) or <c>iso</c>
/// (ISO 8601 with offset). With iso on either side, <c>zone</c> says which time zone local times are in.
/// </summary>
internal sealed class DateStep(string? fromFormat, string? toFormat, TimeZoneInfo? zone) : IValueStep
{
    public const string IsoOutput = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    public JsonNode? Apply(JsonNode value, FieldRule rule)
    {
        var text = StepText.Of(value, rule, "date");
        if (fromFormat is not null)
        {
            if (!DateTime.TryParseExact(text, fromFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                throw rule.Fail($"value is not a date in format {fromFormat}", text);
            }

            if (toFormat is not null)
            {
                return JsonValue.Create(local.ToString(toFormat, CultureInfo.InvariantCulture));
            }

            var offset = zone!.GetUtcOffset(local);
            return JsonValue.Create(new DateTimeOffset(local, offset).ToString(IsoOutput, CultureInfo.InvariantCulture));
        }

        if (!TryParseIso(text, zone!, out var instant))
        {
            throw rule.Fail("value is not an ISO 8601 date", text);
        }

        var inZone = TimeZoneInfo.ConvertTime(instant, zone!);
        return JsonValue.Create(toFormat is null
            ? inZone.ToString(IsoOutput, CultureInfo.InvariantCulture)
            : inZone.DateTime.ToString(toFormat, CultureInfo.InvariantCulture));
    }

    /// <summary>ISO 8601 date or date-time; without an offset the time is taken to be local to <paramref name="zone"/>.</summary>
    internal static bool TryParseIso(string text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        instant = default;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        if (HasOffset(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOfAny(['T', 't', ' '], 10);
        if (t < 0)
        {
            return false;
        }

        var last = text[^1];
        return last is 'Z' or 'z' || text.IndexOfAny(['+', '-'], t) >= 0;
    }
}

internal enum ValueType
{
    String,
    Int,
    Number,
    Bool,
}

/// <summary><c>type: string | int | number | bool</c>.</summary>
internal sealed class TypeStep(ValueType type) : IValueStep
{
    public ValueType Type => type;

    public JsonNode? Apply(JsonNode value, FieldRule rule)
    {
        if (value is not JsonValue scalar)
        {
            throw rule.Fail($"value is not a scalar and cannot be converted to {Name}", Json.ShowJson(value));
        }

        var kind = scalar.GetValueKind();
        switch (type)
        {
            case ValueType.String:
                return JsonValue.Create(Json.Text(scalar));

            case ValueType.Int:
                if (kind == JsonValueKind.Number && scalar.TryGetValue<long>(out var whole))
                {
                    return JsonValue.Create(whole);
                }

                if (kind == JsonValueKind.Number && scalar.TryGetValue<double>(out var d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18)
                {
                    return JsonValue.Create((long)d);
                }

                if (kind == JsonValueKind.String
                    && long.TryParse(scalar.GetValue<string>(), NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out whole))
                {
                    return JsonValue.Create(whole);
                }

                break;

            case ValueType.Number:
                if (kind == JsonValueKind.Number)
                {
                    return scalar.DeepClone();
                }

                if (kind == JsonValueKind.String
                    && double.TryParse(scalar.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && double.IsFinite(number))
                {
                    return JsonValue.Create(number);
                }

                break;

            case ValueType.Bool:
                switch (kind)
                {
                    case JsonValueKind.True:
                        return JsonValue.Create(true);
                    case JsonValueKind.False:
                        return JsonValue.Create(false);
                    case JsonValueKind.Number:
                        var n = scalar.ToJsonString();
                        if (n == "1")
                        {
                            return JsonValue.Create(true);
                        }

                        if (n == "0")
                        {
                            return JsonValue.Create(false);
                        }

                        break;
                    case JsonValueKind.String:
                        var s = scalar.GetValue<string>().Trim();
                        if (s == "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase))
                        {
                            return JsonValue.Create(true);
                        }

                        if (s == "0" || s.Equals("false", StringComparison.OrdinalIgnoreCase))
                        {
                            return JsonValue.Create(false);
                        }

                        break;
                    default:
                        break;
                }

                break;
        }

        throw rule.Fail($"value is not {Article}{Name}", Json.ShowJson(value));
    }

    private string Name => type switch
    {
        ValueType.String => "string",
        ValueType.Int => "int",
        ValueType.Number => "number",
        _ => "bool",
    };

    private string Article => type == ValueType.Int ? "an " : "a ";
}
