using System.Text.Json;
using Google.Protobuf.Reflection;

namespace OneStop.Hub.Grpc.Internal.Rest;

/// <summary>
/// Checks a JSON request body against the protobuf message it must become, field by field, so that a caller learns
/// which field is wrong and why (the transcoder only says "not correctly formatted"), and so that an unknown field is
/// refused instead of silently dropped. Rules are proto3 JSON's: keys are the fields' JSON names (here, the proto names),
/// <c>null</c> means the default, 64-bit integers may come as strings, enums by name or number.
/// </summary>
internal static class MessageConformance
{
    public static (string Message, string? Field)? Check(JsonElement value, MessageDescriptor message, string path = "")
    {
        if (message.FullName == "google.protobuf.Struct")
        {
            return value.ValueKind is JsonValueKind.Object or JsonValueKind.Null ? null : Problem(path, "must be a JSON object");
        }

        if (message.File.Package == "google.protobuf")
        {
            return null; // other well-known types: the transcoder's own rules
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return Problem(path, $"must be a JSON object ({message.Name})");
        }

        foreach (var property in value.EnumerateObject())
        {
            var at = Join(path, Shorten(property.Name));
            var field = message.FindFieldByName(property.Name) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name);
            if (field is null)
            {
                return Problem(at, $"unknown field of {message.Name}");
            }

            if (CheckField(property.Value, field, at) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public static (string Message, string? Field)? CheckField(JsonElement value, FieldDescriptor field, string at)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (field.IsMap)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                return Problem(at, "must be a JSON object (a map)");
            }

            var valueField = field.MessageType.FindFieldByNumber(2);
            foreach (var entry in value.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Null)
                {
                    return Problem($"{at}.{Shorten(entry.Name)}", "a map value must not be null");
                }

                if (CheckSingle(entry.Value, valueField, $"{at}.{Shorten(entry.Name)}") is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        if (field.IsRepeated)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return Problem(at, "must be a JSON array");
            }

            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                var item = $"{at}[{i++}]";
                if (element.ValueKind == JsonValueKind.Null)
                {
                    return Problem(item, "an array element must not be null");
                }

                if (CheckSingle(element, field, item) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        return CheckSingle(value, field, at);
    }

    private static (string Message, string? Field)? CheckSingle(JsonElement value, FieldDescriptor field, string at)
    {
        var ok = field.FieldType switch
        {
            FieldType.String => value.ValueKind == JsonValueKind.String,
            FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            FieldType.Bytes => value.ValueKind == JsonValueKind.String && IsBase64(value.GetString()!),
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Integer(value, int.MinValue, int.MaxValue),
            FieldType.UInt32 or FieldType.Fixed32 => Integer(value, 0, uint.MaxValue),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Integer(value, long.MinValue, long.MaxValue),
            FieldType.UInt64 or FieldType.Fixed64 => value.ValueKind == JsonValueKind.Number ? value.TryGetUInt64(out _) : value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), out _),
            FieldType.Double or FieldType.Float => value.ValueKind == JsonValueKind.Number ? value.TryGetDouble(out var d) && double.IsFinite(d)
                : value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity",
            FieldType.Enum => value.ValueKind == JsonValueKind.String ? field.EnumType.FindValueByName(value.GetString()!) is not null
                : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            FieldType.Message => true,
            _ => true,
        };
        if (field.FieldType == FieldType.Message)
        {
            return Check(value, field.MessageType, at);
        }

        return ok ? null : Problem(at, field.FieldType switch
        {
            FieldType.String => "must be a string",
            FieldType.Bool => "must be true or false",
            FieldType.Bytes => "must be a base64 string",
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => "must be an integer from -2147483648 to 2147483647",
            FieldType.UInt32 or FieldType.Fixed32 => "must be an integer from 0 to 4294967295",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "must be a 64-bit integer (a number or a string of digits)",
            FieldType.UInt64 or FieldType.Fixed64 => "must be an unsigned 64-bit integer",
            FieldType.Double or FieldType.Float => "must be a finite number",
            FieldType.Enum => $"must be one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}",
            _ => "has the wrong type",
        });
    }

    private static bool Integer(JsonElement value, long min, long max)
    {
        long n;
        if (value.ValueKind == JsonValueKind.Number)
        {
            // proto3 JSON also accepts an integral number written with an exponent or fraction (1e3, 5.0).
            if (!value.TryGetInt64(out n))
            {
                if (!value.TryGetDouble(out var d) || !double.IsFinite(d) || d != Math.Floor(d) || d < min || d > max)
                {
                    return false;
                }

                return true;
            }
        }
        else if (value.ValueKind != JsonValueKind.String || !long.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out n))
        {
            return false;
        }

        return n >= min && n <= max;
    }

    private static bool IsBase64(string text)
    {
        // Standard or URL-safe alphabet, padding optional (proto3 JSON accepts both).
        var standard = text.Replace('-', '+').Replace('_', '/');
        var padded = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        return Convert.TryFromBase64String(padded, new byte[padded.Length], out _);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Shorten(string name) => name.Length > 64 ? name[..64] + "…" : name;

    private static (string, string?) Problem(string at, string rule) => at.Length == 0 ? ($"the request body {rule}", null) : ($"{at}: {rule}", at);
}
