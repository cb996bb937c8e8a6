using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace OneStop.Mappings.Internal;

/// <summary>The embedded JSON Schema of a mapping file's structure (NJsonSchema), with its errors in our words.</summary>
internal static class FileSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => Load("OneStop.Mappings.mapping-file.schema.json"));

    private static readonly Lazy<JsonSchema> UpstreamSchema = new(() => Load("OneStop.Mappings.upstream-file.schema.json"));

    public static void Validate(JsonObject document, string file, List<MappingError> errors) =>
        Validate(Schema.Value, document, file, errors);

    public static void ValidateUpstream(JsonObject document, string file, List<MappingError> errors) =>
        Validate(UpstreamSchema.Value, document, file, errors);

    private static void Validate(JsonSchema schema, JsonObject document, string file, List<MappingError> errors)
    {
        foreach (var (path, rule) in Describe(schema.Validate(document.ToJsonString()), includeRequired: true))
        {
            errors.Add(new MappingError(file, path, rule));
        }
    }

    /// <summary>Validation errors as (field path, rule) in our words; nested errors of lists and maps are listed one by one.</summary>
    public static IEnumerable<(string Path, string Rule)> Describe(IEnumerable<ValidationError> errors, bool includeRequired)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && error.Kind is ValidationErrorKind.ArrayItemNotValid
                or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.AdditionalItemNotValid)
            {
                foreach (var inner in Describe(child.Errors.Values.SelectMany(e => e), includeRequired))
                {
                    yield return inner;
                }

                continue;
            }

            if (error.Kind == ValidationErrorKind.PropertyRequired && !includeRequired)
            {
                continue;
            }

            yield return Describe(error);
        }
    }

    private static (string Path, string Rule) Describe(ValidationError error)
    {
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
            case ValidationErrorKind.IntegerExpected:
                rule = "must be an integer";
                break;
            case ValidationErrorKind.NumberExpected:
                rule = "must be a number";
                break;
            case ValidationErrorKind.NullExpected:
                rule = "must be null";
                break;
            case ValidationErrorKind.PatternMismatch:
                rule = $"does not match the pattern {error.Schema?.Pattern}";
                break;
            case ValidationErrorKind.DateTimeExpected:
            case ValidationErrorKind.DateExpected:
                rule = "must be an ISO 8601 date";
                break;
            default:
                rule = $"is not valid ({error.Kind})";
                break;
        }

        return (path, rule);
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

    private static JsonSchema Load(string resource)
    {
        using var stream = typeof(FileSchema).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded {resource} is missing");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
