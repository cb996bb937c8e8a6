using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace OneStop.Mappings.Internal;

/// <summary>
/// Checks a compiled mapping against the JSON Schemas of its source and target: every path it reads exists in
/// the source, every field it writes exists in the target with a type the target accepts, every code the source
/// may send has an entry in the table that maps it, every code a table produces is one the target allows, and
/// every field the target requires has a rule. Each problem is a <see cref="MappingError"/> naming the field.
/// </summary>
internal sealed class SchemaCheck(string file, List<MappingError> errors, NamedSchema? source, NamedSchema? target)
{
    public void Run(RootSelector? root, IReadOnlyList<FieldRule> fields)
    {
        var scope = source is null ? null : source.Schema.ActualSchema;
        if (root is not null && scope is not null)
        {
            scope = CheckRoot(root, scope);
        }

        CheckFields(fields, scope, target?.Schema.ActualSchema, prefix: null);
    }

    private void Error(string fieldPath, string rule) => errors.Add(new MappingError(file, fieldPath, rule));

    private JsonSchema? CheckRoot(RootSelector root, JsonSchema scope)
    {
        JsonSchema? at = scope;
        if (root.Path is not null)
        {
            at = WalkSource(root.Path, scope, RootSelector.FieldPath, "path");
        }

        if (at is null)
        {
            return null;
        }

        if (root.Parse != RootParse.None)
        {
            var types = TypesOf(at);
            if (types != JsonObjectType.None && !types.HasFlag(JsonObjectType.String))
            {
                Error(RootSelector.FieldPath, $"parse: the value at {root.Path?.Text ?? "$"} is {KindNames(types)} in the source schema {source!.Name}, not a string holding {(root.Parse == RootParse.Xml ? "XML" : "JSON")}");
                return null;
            }

            // What the string holds: contentSchema, when the source schema says (else nothing below is checked).
            at = Alternatives(at).Select(SchemaFiles.ContentSchemaOf).FirstOrDefault(s => s is not null)?.ActualSchema;
            if (at is null)
            {
                return null;
            }
        }

        return root.Then is null ? at : WalkSource(root.Then, at, RootSelector.FieldPath, "then");
    }

    private void CheckFields(IReadOnlyList<FieldRule> fields, JsonSchema? sourceScope, JsonSchema? targetObject, string? prefix)
    {
        foreach (var field in fields)
        {
            if (field.When is { } when && sourceScope is not null)
            {
                WalkSource(when.Path, sourceScope, field.FieldPath, "when: path");
            }

            var targetField = targetObject is null ? null : TargetChild(targetObject, field);
            switch (field)
            {
                case ValueRule value:
                    CheckValue(value, sourceScope, targetField);
                    break;
                case ObjectRule obj:
                    var inner = obj.ScopePath is null || sourceScope is null ? sourceScope : WalkSource(obj.ScopePath, sourceScope, field.FieldPath, "path");
                    CheckFields(obj.Fields, inner, TargetContainer(field, targetField, JsonObjectType.Object, obj.EncodeJson), field.FieldPath);
                    break;
                case EachRule each:
                    var items = sourceScope is null ? null : WalkSource(each.Each, sourceScope, field.FieldPath, "each");
                    CheckFields(each.Fields, items is null ? null : ItemOf(items), TargetContainer(field, targetField, JsonObjectType.Array, each.EncodeJson), field.FieldPath);
                    break;
                default:
                    break;
            }
        }

        if (targetObject is not null)
        {
            var produced = fields.Select(f => f.Target).ToHashSet(StringComparer.Ordinal);
            foreach (var required in Alternatives(targetObject).SelectMany(s => s.RequiredProperties).Distinct(StringComparer.Ordinal))
            {
                if (!produced.Contains(required))
                {
                    Error(prefix ?? "$", $"the target schema {target!.Name} requires '{required}', which no rule produces");
                }
            }
        }
    }

    private void CheckValue(ValueRule rule, JsonSchema? sourceScope, JsonSchema? targetField)
    {
        JsonSchema? sourceValue = null;
        switch (rule.Source)
        {
            case PathSource p when sourceScope is not null:
                sourceValue = WalkSource(p.Path, sourceScope, rule.FieldPath, "path");
                break;
            case JoinSource j when sourceScope is not null:
                foreach (var part in j.Parts)
                {
                    WalkSource(part, sourceScope, rule.FieldPath, "join");
                }

                break;
            default:
                break;
        }

        // Codes the source may send must all have an entry in the table that maps them first.
        if (sourceValue is not null && rule.Steps.Count > 0 && rule.Steps[0] is TableStep { Fallback: null } table)
        {
            foreach (var code in EnumOf(sourceValue))
            {
                if (!table.Entries.ContainsKey(code))
                {
                    Error(rule.FieldPath, $"code {code} has no entry in table {table.TableName}");
                }
            }
        }

        if (targetField is null)
        {
            return;
        }

        var wanted = TypesOf(targetField) & ~JsonObjectType.Null;
        var produced = Produced(rule, sourceValue);
        if (wanted != JsonObjectType.None && produced != JsonObjectType.None && !Fits(produced, wanted))
        {
            Error(rule.FieldPath, $"gives {KindNames(produced)} but the target schema {target!.Name} wants {KindNames(wanted)}");
        }

        var allowed = EnumOf(targetField).ToHashSet(StringComparer.Ordinal);
        if (allowed.Count > 0)
        {
            foreach (var (what, value) in Constants(rule))
            {
                if (Json.Text(value) is { } text && !allowed.Contains(text))
                {
                    Error(rule.FieldPath, $"{what} gives {text}, which the target schema {target!.Name} does not allow ({string.Join(", ", allowed)})");
                }
            }
        }
    }

    /// <summary>The fixed values a rule can produce: table entries, fallback, value, default.</summary>
    private static IEnumerable<(string What, JsonNode Value)> Constants(ValueRule rule)
    {
        if (rule.Steps.Count == 0 && rule.Source is ConstantSource constant)
        {
            yield return ("value", constant.Value);
        }

        if (rule.Steps.Count > 0 && rule.Steps[^1] is TableStep table)
        {
            foreach (var (code, value) in table.Entries)
            {
                yield return ($"table {table.TableName} entry {code}", value);
            }

            if (table.Fallback is { } fallback)
            {
                yield return ($"table {table.TableName} fallback", fallback);
            }
        }

        if (rule.Default is { } d)
        {
            yield return ("default", d);
        }
    }

    /// <summary>The JSON types a rule's output can have; None when it cannot be known.</summary>
    private static JsonObjectType Produced(ValueRule rule, JsonSchema? sourceValue)
    {
        JsonObjectType kinds;
        var last = rule.Steps.Count > 0 ? rule.Steps[^1] : null;
        switch (last)
        {
            case TypeStep type:
                kinds = type.Type switch
                {
                    ValueType.String => JsonObjectType.String,
                    ValueType.Int => JsonObjectType.Integer,
                    ValueType.Number => JsonObjectType.Number,
                    _ => JsonObjectType.Boolean,
                };
                break;
            case DateStep or SplitStep:
                kinds = JsonObjectType.String;
                break;
            case TableStep table:
                kinds = table.Entries.Values.Append(table.Fallback).Aggregate(JsonObjectType.None, (k, v) => k | KindOf(v));
                break;
            default:
                kinds = rule.Source switch
                {
                    JoinSource => JsonObjectType.String,
                    ConstantSource c => KindOf(c.Value),
                    _ => sourceValue is null ? JsonObjectType.None : TypesOf(sourceValue) & ~JsonObjectType.Null,
                };
                if (kinds == JsonObjectType.None)
                {
                    return JsonObjectType.None; // the source does not say: nothing to compare
                }

                break;
        }

        return kinds | KindOf(rule.Default);
    }

    private static JsonObjectType KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => JsonObjectType.String,
        JsonValueKind.Number => value.ToJsonString().AsSpan().IndexOfAny(".eE") < 0 ? JsonObjectType.Integer : JsonObjectType.Number,
        JsonValueKind.True or JsonValueKind.False => JsonObjectType.Boolean,
        JsonValueKind.Object => JsonObjectType.Object,
        JsonValueKind.Array => JsonObjectType.Array,
        _ => JsonObjectType.None,
    };

    private static bool Fits(JsonObjectType produced, JsonObjectType wanted)
    {
        if (wanted.HasFlag(JsonObjectType.Number))
        {
            wanted |= JsonObjectType.Integer;
        }

        return (produced & ~wanted) == JsonObjectType.None;
    }

    /// <summary>The target property a rule writes; reports a field the target schema does not have.</summary>
    private JsonSchema? TargetChild(JsonSchema targetObject, FieldRule field)
    {
        var found = Child(targetObject, field.Target, out var lookup);
        switch (lookup)
        {
            case Lookup.Missing:
                Error(field.FieldPath, $"'{field.Target}' is not a field of the target schema {target!.Name}");
                return null;
            case Lookup.NotAnObject:
                Error(field.FieldPath, $"the target schema {target!.Name} has {KindNames(TypesOf(targetObject))} here, not an object with fields");
                return null;
            default:
                return found;
        }
    }

    /// <summary>
    /// The target of a nested object (<c>fields</c>) or list (<c>each</c>); its item for a list. With
    /// <c>encode: json</c> the rule writes text: the target field must take text, and the object or list is checked
    /// against what the text holds (its <c>contentSchema</c>; nothing below is checked when the schema does not say).
    /// </summary>
    private JsonSchema? TargetContainer(FieldRule field, JsonSchema? targetField, JsonObjectType kind, bool encodeJson)
    {
        if (targetField is null)
        {
            return null;
        }

        if (encodeJson)
        {
            var text = TypesOf(targetField);
            if (text != JsonObjectType.None && !text.HasFlag(JsonObjectType.String))
            {
                Error(field.FieldPath, $"gives text holding JSON (encode: json) but the target schema {target!.Name} wants {KindNames(text & ~JsonObjectType.Null)}");
                return null;
            }

            targetField = Alternatives(targetField).Select(SchemaFiles.ContentSchemaOf).FirstOrDefault(s => s is not null)?.ActualSchema;
            if (targetField is null)
            {
                return null;
            }
        }

        var types = TypesOf(targetField);
        if (types != JsonObjectType.None && !types.HasFlag(kind))
        {
            Error(field.FieldPath, $"gives {KindNames(kind)} but the target schema {target!.Name} wants {KindNames(types & ~JsonObjectType.Null)}");
            return null;
        }

        return kind == JsonObjectType.Array ? ItemOf(targetField) : targetField;
    }

    /// <summary>Walks <paramref name="path"/> through the source schema; null (after reporting) when it leaves it, or when the schema stops saying.</summary>
    private JsonSchema? WalkSource(PathExpr path, JsonSchema scope, string fieldPath, string key)
    {
        var at = scope;
        var walked = new List<string>();
        foreach (var name in path.Names)
        {
            if (name is null)
            {
                at = ItemOf(at);
                walked.Add("[n]");
            }
            else
            {
                var child = Child(at, name, out var lookup);
                var where = walked.Count == 0 ? string.Empty : $" under {string.Join(".", walked).Replace(".[n]", "[n]", StringComparison.Ordinal)}";
                switch (lookup)
                {
                    case Lookup.Missing:
                        Error(fieldPath, $"{key} {path.Text}: '{name}' is not in the source schema {source!.Name}{where}");
                        return null;
                    case Lookup.NotAnObject:
                        Error(fieldPath, $"{key} {path.Text}: the source schema {source!.Name} has {KindNames(TypesOf(at))}{where}, which has no field '{name}'");
                        return null;
                    default:
                        break;
                }

                at = child;
                walked.Add(name);
            }

            if (at is null)
            {
                return null; // an open schema: it says nothing about what is below
            }
        }

        return at;
    }

    private enum Lookup
    {
        Found,
        Open,
        Missing,
        NotAnObject,
    }

    /// <summary>
    /// Property <paramref name="name"/> of an object schema (any branch of anyOf/oneOf/allOf). A schema that
    /// declares no properties and no non-object type is open: anything may be there, nothing is checked below.
    /// </summary>
    private static JsonSchema? Child(JsonSchema schema, string name, out Lookup lookup)
    {
        var alternatives = Alternatives(schema).ToList();
        foreach (var alternative in alternatives)
        {
            if (alternative.ActualProperties.TryGetValue(name, out var property))
            {
                lookup = Lookup.Found;
                return property.ActualSchema;
            }
        }

        foreach (var alternative in alternatives)
        {
            if (alternative.AdditionalPropertiesSchema is { } additional)
            {
                lookup = Lookup.Found;
                return additional.ActualSchema;
            }
        }

        var declaresProperties = alternatives.Any(a => a.ActualProperties.Count > 0);
        var types = TypesOf(schema);
        if (!declaresProperties && types != JsonObjectType.None && !types.HasFlag(JsonObjectType.Object))
        {
            lookup = Lookup.NotAnObject;
            return null;
        }

        lookup = declaresProperties ? Lookup.Missing : Lookup.Open;
        return null;
    }

    /// <summary>The item of a list schema; a non-list is its own single item (XML gives one repeated element as an object).</summary>
    private static JsonSchema? ItemOf(JsonSchema schema)
    {
        foreach (var alternative in Alternatives(schema))
        {
            if (alternative.Type.HasFlag(JsonObjectType.Array) || alternative.Item is not null)
            {
                return alternative.Item?.ActualSchema;
            }
        }

        return schema;
    }

    /// <summary>Whether <paramref name="fieldPath"/> (<c>a.b</c>, <c>items[].c</c>, <c>items[2].c</c>) has an <c>enum</c> in <paramref name="target"/>.</summary>
    internal static bool HasCodes(JsonSchema target, string fieldPath)
    {
        JsonSchema? at = target.ActualSchema;
        foreach (var part in fieldPath.Split('.'))
        {
            // Text holding JSON (encode: json, like EMC's User) is described by its contentSchema.
            at = Alternatives(at).Select(SchemaFiles.ContentSchemaOf).FirstOrDefault(s => s is not null)?.ActualSchema ?? at;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            at = Child(at, name, out var lookup);
            if (lookup != Lookup.Found || at is null)
            {
                return false;
            }

            if (bracket >= 0)
            {
                at = ItemOf(at);
                if (at is null)
                {
                    return false;
                }
            }
        }

        return EnumOf(at).Any();
    }

    private static IEnumerable<JsonSchema> Alternatives(JsonSchema schema)
    {
        var actual = schema.ActualSchema;
        yield return actual;
        foreach (var branch in actual.AnyOf.Concat(actual.OneOf).Concat(actual.AllOf))
        {
            foreach (var inner in Alternatives(branch))
            {
                yield return inner;
            }
        }
    }

    private static JsonObjectType TypesOf(JsonSchema schema) =>
        Alternatives(schema).Aggregate(JsonObjectType.None, (t, s) => t | s.Type);

    private static IEnumerable<string> EnumOf(JsonSchema schema) =>
        Alternatives(schema).SelectMany(s => s.Enumeration).Select(SchemaFiles.EnumText).OfType<string>().Distinct(StringComparer.Ordinal);

    internal static string KindNames(JsonObjectType types)
    {
        var names = new List<string>();
        if (types.HasFlag(JsonObjectType.String))
        {
            names.Add("text");
        }

        if (types.HasFlag(JsonObjectType.Integer))
        {
            names.Add("an integer");
        }

        if (types.HasFlag(JsonObjectType.Number))
        {
            names.Add("a number");
        }

        if (types.HasFlag(JsonObjectType.Boolean))
        {
            names.Add("true/false");
        }

        if (types.HasFlag(JsonObjectType.Object))
        {
            names.Add("an object");
        }

        if (types.HasFlag(JsonObjectType.Array))
        {
            names.Add("a list");
        }

        if (types.HasFlag(JsonObjectType.Null))
        {
            names.Add("null");
        }

        return names.Count == 0 ? "anything" : string.Join(" or ", names);
    }
}

/// <summary>A schema, the name errors call it by, and its file.</summary>
internal sealed record NamedSchema(string Name, string Path, JsonSchema Schema);
