using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace OneStop.Mappings.Internal;

/// <summary>The embedded JSON Schema of a mapping file's structure (NJsonSchema), with its errors in our words.</summary>
internal static class FileSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    public static void Validate(JsonObject document, string file, List<MappingError> errors)
    {
        foreach (var error in Schema.Value.Validate(document.ToJsonString()))
        {
            Add(error, file, errors);
        }
    }

    private static void Add(ValidationError error, string file, List<MappingError> errors)
    {
        if (error is ChildSchemaValidationError child && error.Kind is ValidationErrorKind.ArrayItemNotValid
            or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.AdditionalItemNotValid)
        {
            foreach (var inner in child.Errors.Values.SelectMany(e => e))
            {
                Add(inner, file, errors);
            }

            return;
        }

        var path = FieldPathOf(error.Path);
        var property = error.Property;
        string rule;
        switch (error.Kind)
        {
            case ValidationErrorKind.PropertyRequired:
                rule = "required key is missing";
                break;
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                path = ParentOf(path);
                rule = $"unknown key '{property}'";
                break;
            case ValidationErrorKind.StringExpected:
                rule = "must be text";
                break;
            case ValidationErrorKind.BooleanExpected:
                rule = "must be true or false";
                break;
            case ValidationErrorKind.ObjectExpected:
                rule = "must be a mapping (key: value)";
                break;
            case ValidationErrorKind.ArrayExpected:
                rule = "must be a list";
                break;
            case ValidationErrorKind.NotInEnumeration:
                rule = $"must be one of {string.Join(", ", error.Schema.Enumeration)}";
                break;
            case ValidationErrorKind.StringTooShort:
            case ValidationErrorKind.TooFewProperties:
                rule = "must not be empty";
                break;
            case ValidationErrorKind.NoTypeValidates:
                rule = $"must be {TypesOf(error.Schema)}";
                break;
            default:
                rule = $"is not valid ({error.Kind})";
                break;
        }

        errors.Add(new MappingError(file, path, rule));
    }

    private static string TypesOf(JsonSchema schema)
    {
        var names = new List<string>();
        if (schema.Type.HasFlag(JsonObjectType.String))
        {
            names.Add("text");
        }

        if (schema.Type.HasFlag(JsonObjectType.Integer) || schema.Type.HasFlag(JsonObjectType.Number))
        {
            names.Add("a number");
        }

        if (schema.Type.HasFlag(JsonObjectType.Boolean))
        {
            names.Add("true/false");
        }

        if (schema.Type.HasFlag(JsonObjectType.Object))
        {
            names.Add("a mapping");
        }

        return names.Count == 0 ? "of another type" : string.Join(" or ", names);
    }

    // "#/root.path" -> "root.path"; "#/samples[0].name" -> "samples[0].name"; "#/" -> "$"
    private static string FieldPathOf(string? schemaPath)
    {
        var path = schemaPath ?? string.Empty;
        if (path.StartsWith("#/", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path.Length == 0 ? "$" : path;
    }

    private static string ParentOf(string path)
    {
        var dot = path.LastIndexOf('.');
        var bracket = path.LastIndexOf('[');
        var cut = Math.Max(dot, bracket);
        if (cut < 0)
        {
            return "$";
        }

        return path[..cut];
    }

    private static JsonSchema Load()
    {
        using var stream = typeof(FileSchema).Assembly.GetManifestResourceStream("OneStop.Mappings.mapping-file.schema.json")
            ?? throw new InvalidOperationException("embedded mapping-file.schema.json is missing");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
