using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

/// <summary>One compiled target field. <see cref="Evaluate"/> returns null when the field is absent.</summary>
internal abstract class FieldRule(string mappingId, string target, string fieldPath, Condition? when, bool required)
{
    public string MappingId { get; } = mappingId;

    /// <summary>The output property name.</summary>
    public string Target { get; } = target;

    /// <summary>Where the field sits in the output, for messages: <c>thuong_tru.ma_tinh_thanh</c>.</summary>
    public string FieldPath { get; } = fieldPath;

    public Condition? When { get; } = when;

    public bool Required { get; } = required;

    public abstract JsonNode? Evaluate(JsonNode? scope);

    /// <summary><c>encode: json</c> on an object or list rule: the built value is written as a JSON string.</summary>
    public bool EncodeJson { get; init; }

    /// <summary>The built object or list, or its JSON text when <see cref="EncodeJson"/> is set.</summary>
    protected JsonNode? Encoded(JsonNode? built) =>
        built is null || !EncodeJson ? built : JsonValue.Create(built.ToJsonString(Json.Compact));

    public MappingException Fail(string rule) => new(MappingId, FieldPath, rule);

    /// <summary>A failure caused by <paramref name="value"/>: the value travels beside the message, never in it.</summary>
    public MappingException Fail(string rule, string value) => new(MappingId, FieldPath, rule, value, null);

    /// <summary>Builds the object of <paramref name="fields"/> over <paramref name="scope"/>; null when every field is absent.</summary>
    public static JsonObject? BuildObject(FieldRule[] fields, JsonNode? scope)
    {
        JsonObject? result = null;
        foreach (var field in fields)
        {
            var value = field.Evaluate(scope);
            if (value is not null)
            {
                result ??= [];
                result.Add(field.Target, value);
            }
        }

        return result;
    }
}

/// <summary>A scalar field: a source (path, value or join), then split, table, date and type, then default.</summary>
internal sealed class ValueRule(
    string mappingId,
    string target,
    string fieldPath,
    Condition? when,
    bool required,
    IValueSource source,
    IValueStep[] steps,
    JsonNode? defaultValue) : FieldRule(mappingId, target, fieldPath, when, required)
{
    public IValueSource Source => source;

    public IReadOnlyList<IValueStep> Steps => steps;

    public JsonNode? Default => defaultValue;

    public override JsonNode? Evaluate(JsonNode? scope)
    {
        if (When is not null && !When.Holds(scope))
        {
            return null;
        }

        var value = source.Get(scope, this);
        if (Json.IsAbsent(value))
        {
            if (Required)
            {
                throw Fail($"required value missing at {source.Describe()}");
            }

            return defaultValue is null ? null : Json.Copy(defaultValue);
        }

        if (steps.Length == 0)
        {
            return source.ProducesNewNodes ? value : Json.Copy(value!);
        }

        foreach (var step in steps)
        {
            value = step.Apply(value!, this);
            if (Json.IsAbsent(value))
            {
                return defaultValue is null ? null : Json.Copy(defaultValue);
            }
        }

        return value;
    }
}

/// <summary>A nested object: inner fields over the same scope, or over the value at <c>path</c>.</summary>
internal sealed class ObjectRule(
    string mappingId,
    string target,
    string fieldPath,
    Condition? when,
    bool required,
    PathExpr? scopePath,
    FieldRule[] fields) : FieldRule(mappingId, target, fieldPath, when, required)
{
    public PathExpr? ScopePath => scopePath;

    public IReadOnlyList<FieldRule> Fields => fields;

    public override JsonNode? Evaluate(JsonNode? scope)
    {
        if (When is not null && !When.Holds(scope))
        {
            return null;
        }

        var inner = scopePath is null ? scope : scopePath.Resolve(scope);
        var result = inner is null ? null : BuildObject(fields, inner);
        if (result is null && Required)
        {
            throw Fail(scopePath is null
                ? "required value missing (every inner field is absent)"
                : $"required value missing at {scopePath.Text}");
        }

        return Encoded(result);
    }
}

/// <summary>An array: one object per item of the array at <c>each</c> (a single object counts as one item).</summary>
internal sealed class EachRule(
    string mappingId,
    string target,
    string fieldPath,
    Condition? when,
    bool required,
    PathExpr each,
    FieldRule[] fields) : FieldRule(mappingId, target, fieldPath, when, required)
{
    public PathExpr Each => each;

    public IReadOnlyList<FieldRule> Fields => fields;

    public override JsonNode? Evaluate(JsonNode? scope)
    {
        if (When is not null && !When.Holds(scope))
        {
            return null;
        }

        var items = each.Resolve(scope);
        JsonArray? result = null;
        if (items is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var item = array[i];
                if (item is not null)
                {
                    Add(ref result, item, i);
                }
            }
        }
        else if (items is not null)
        {
            Add(ref result, items, 0);
        }

        if (result is null && Required)
        {
            throw Fail($"required value missing at {each.Text}");
        }

        return Encoded(result);
    }

    private void Add(ref JsonArray? result, JsonNode item, int index)
    {
        JsonObject? built;
        try
        {
            built = BuildObject(fields, item);
        }
        catch (MappingException ex) when (ex.FieldPath.Length > FieldPath.Length
            && ex.FieldPath.StartsWith(FieldPath, StringComparison.Ordinal)
            && ex.FieldPath[FieldPath.Length] == '.')
        {
            // Name the item: qua_trinh_tham_gia.tu_thang -> qua_trinh_tham_gia[1].tu_thang
            var path = $"{FieldPath}[{index}]{ex.FieldPath[FieldPath.Length..]}";
            throw new MappingException(ex.MappingId, path, ex.Rule, ex.OffendingValue, ex.InnerException);
        }

        if (built is not null)
        {
            result ??= [];
            result.Add(built);
        }
    }
}

/// <summary><c>when:</c> a field is produced only when the value at <c>path</c> equals / is in / exists.</summary>
internal sealed class Condition
{
    private readonly PathExpr path;
    private readonly string? equalsText;
    private readonly HashSet<string>? inTexts;
    private readonly bool? exists;

    private Condition(PathExpr path, string? equalsText, HashSet<string>? inTexts, bool? exists)
    {
        this.path = path;
        this.equalsText = equalsText;
        this.inTexts = inTexts;
        this.exists = exists;
    }

    public static Condition ForEquals(PathExpr path, string text) => new(path, text, null, null);

    public static Condition ForIn(PathExpr path, IEnumerable<string> texts) => new(path, null, new HashSet<string>(texts, StringComparer.Ordinal), null);

    public static Condition ForExists(PathExpr path, bool exists) => new(path, null, null, exists);

    public PathExpr Path => path;

    public bool Holds(JsonNode? scope)
    {
        var value = path.Resolve(scope);
        var present = !Json.IsAbsent(value);
        if (exists is bool wanted)
        {
            return present == wanted;
        }

        if (!present)
        {
            return false;
        }

        var text = Json.Text(value);
        if (text is null)
        {
            return false;
        }

        return equalsText is not null ? string.Equals(text, equalsText, StringComparison.Ordinal) : inTexts!.Contains(text);
    }
}
