using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OneStop.Mappings.Internal;

/// <summary>
/// Checks a mapping file's meaning (the structure was checked by <see cref="FileSchema"/>) and compiles it:
/// paths parsed, tables resolved, date formats and zones looked up. Every problem is collected, none stops the rest.
/// </summary>
internal sealed partial class DefinitionCompiler(string file, List<MappingError> errors, SchemaFiles schemas)
{
    private static readonly string[] RuleKeys =
        ["path", "value", "join", "separator", "split", "table", "fallback", "date", "default", "required", "type", "when", "fields", "each", "encode"];

    private static readonly string[] SourceKeys = ["path", "value", "join", "fields", "each"];

    private static readonly string[] ObjectOnlyKeys = ["path", "each", "fields", "required", "when", "encode"];

    private static readonly string[] Types = ["string", "int", "number", "bool"];

    private readonly Dictionary<string, Dictionary<string, JsonNode>> tables = new(StringComparer.Ordinal);
    private string mappingId = string.Empty;

    public MappingDefinition? Compile(JsonObject document, string? filePath, string contentHash)
    {
        var id = CheckId(document);
        mappingId = id ?? string.Empty;
        var version = CheckVersion(document);
        var description = document["description"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : null;
        var source = LoadSchema(document, "source", filePath);
        var target = LoadSchema(document, "target", filePath);
        var root = CompileRoot(document["root"]);
        CompileTables(document["tables"]);
        var fields = document["fields"] is JsonObject fieldsNode ? CompileFields(fieldsNode, prefix: null) : [];
        var samples = CompileSamples(document["samples"]);

        if (errors.Count > 0 || id is null || version is null)
        {
            return null;
        }

        // Only a mapping that compiled is compared with its schemas: the rules must all be there to be checked.
        new SchemaCheck(file, errors, source, target).Run(root, fields);
        if (errors.Count > 0)
        {
            return null;
        }

        return new MappingDefinition(id, version, filePath, description, root, fields, samples)
        {
            FileName = file,
            ContentHash = contentHash,
            Source = source,
            Target = target,
        };
    }

    /// <summary>
    /// <c>source:</c> / <c>target:</c>: a JSON Schema file, relative to the mapping file
    /// (e.g. <c>../schemas/canonical.cong-dan.schema.json</c>). Its name in messages is the file name without <c>.schema.json</c>.
    /// </summary>
    private NamedSchema? LoadSchema(JsonObject document, string key, string? filePath)
    {
        var text = Json.Text(document[key]);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null; // absent (the file schema reports a wrong type)
        }

        var folder = filePath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(filePath)!;
        var fullPath = Path.GetFullPath(text, folder);
        var schema = schemas.Load(fullPath, out var problem);
        if (schema is null)
        {
            Error(key, $"schema '{text}': {problem}");
            return null;
        }

        return new NamedSchema(SchemaName(fullPath), fullPath, schema);
    }

    internal static string SchemaName(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var suffix in (string[])[".schema.json", ".json"])
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private void Error(string fieldPath, string rule) => errors.Add(new MappingError(file, fieldPath, rule));

    private string? CheckId(JsonObject document)
    {
        if (document["id"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null; // the schema has said so
        }

        var id = value.GetValue<string>();
        if (id.Length == 0)
        {
            return null;
        }

        var ok = true;
        if (!IdPattern().IsMatch(id))
        {
            Error("id", $"'{id}' must be <system>.<direction> in lower case, direction request or reply (e.g. population.reply)");
            ok = false;
        }

        var expected = StemOf(file);
        if (!string.Equals(id, expected, StringComparison.Ordinal))
        {
            Error("id", $"'{id}' does not match the file name (a file named {file} must have id {expected})");
            ok = false;
        }

        return ok ? id : null;
    }

    internal static string StemOf(string file)
    {
        foreach (var extension in (string[])[".yaml", ".yml"])
        {
            if (file.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return file[..^extension.Length];
            }
        }

        return file;
    }

    private string? CheckVersion(JsonObject document)
    {
        var text = Json.Text(document["version"]);
        if (text is null)
        {
            return null; // missing or wrong type: the schema has said so
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            Error("version", "must not be empty");
            return null;
        }

        return text;
    }

    private RootSelector? CompileRoot(JsonNode? node)
    {
        if (node is not JsonObject root)
        {
            return null;
        }

        var path = OptionalPath(root["path"], "root", "path");
        var then = OptionalPath(root["then"], "root", "then");
        var parse = Json.Text(root["parse"]) switch
        {
            "xml" => RootParse.Xml,
            "json" => RootParse.Json,
            _ => RootParse.None,
        };
        var required = root["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
        if (required && path is null)
        {
            Error("root", "'required' needs 'path' (the property that must be there)");
        }

        return new RootSelector(mappingId, path, parse, then, required);
    }

    private PathExpr? OptionalPath(JsonNode? node, string fieldPath, string key)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        return ParsePath(value.GetValue<string>(), fieldPath, key);
    }

    private PathExpr? ParsePath(string text, string fieldPath, string key)
    {
        var path = PathExpr.TryParse(text, out var error);
        if (path is null)
        {
            Error(fieldPath, $"{key}: {error}");
        }

        return path;
    }

    private void CompileTables(JsonNode? node)
    {
        if (node is not JsonObject all)
        {
            return;
        }

        foreach (var (name, tableNode) in all)
        {
            if (tableNode is not JsonObject table)
            {
                continue; // the schema has said so
            }

            var entries = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var (code, value) in table)
            {
                if (value is JsonValue scalar && Json.Text(scalar) is not null)
                {
                    entries[code] = scalar.DeepClone();
                }
            }

            tables[name] = entries;
        }
    }

    private FieldRule[] CompileFields(JsonObject fields, string? prefix)
    {
        var rules = new List<FieldRule>(fields.Count);
        foreach (var (target, ruleNode) in fields)
        {
            var fieldPath = prefix is null ? target : $"{prefix}.{target}";
            var rule = CompileRule(target, fieldPath, ruleNode);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return [.. rules];
    }

    private FieldRule? CompileRule(string target, string fieldPath, JsonNode? node)
    {
        if (node is JsonValue shorthand && shorthand.GetValueKind() == JsonValueKind.String)
        {
            var path = ParsePath(shorthand.GetValue<string>(), fieldPath, "path");
            return path is null ? null : new ValueRule(mappingId, target, fieldPath, null, false, new PathSource(path), [], null);
        }

        if (node is not JsonObject rule)
        {
            Error(fieldPath, "rule must be a path (text) or a rule (path, value, join, fields or each with options)");
            return null;
        }

        var errorsBefore = errors.Count;
        foreach (var (key, _) in rule)
        {
            if (!RuleKeys.Contains(key))
            {
                Error(fieldPath, $"unknown key '{key}'{Suggest(key, RuleKeys)}");
            }
        }

        var sources = SourceKeys.Where(rule.ContainsKey).ToList();
        var isObject = rule.ContainsKey("fields");
        if (sources.Count == 0)
        {
            Error(fieldPath, "rule needs one of path, value, join, fields or each");
            return null;
        }

        if (rule.ContainsKey("each") && !isObject)
        {
            Error(fieldPath, "'each' needs 'fields' (the fields of each item)");
            return null;
        }

        if (isObject)
        {
            var extra = sources.Where(s => s is not "fields").ToList();
            if (extra.Count > 1 || extra.Any(s => s is "value" or "join"))
            {
                Error(fieldPath, $"'fields' goes with at most one of path or each, not {string.Join(" and ", extra)}");
                return null;
            }

            foreach (var (key, _) in rule)
            {
                if (RuleKeys.Contains(key) && !ObjectOnlyKeys.Contains(key))
                {
                    Error(fieldPath, $"'{key}' cannot be used with 'fields' (put it on the inner fields)");
                }
            }
        }
        else if (sources.Count > 1)
        {
            Error(fieldPath, $"use only one of path, value or join, not {string.Join(" and ", sources)}");
            return null;
        }

        var when = rule.TryGetPropertyValue("when", out var whenNode) ? CompileCondition(whenNode, fieldPath) : null;
        var required = CompileFlag(rule, "required", fieldPath);

        if (isObject)
        {
            if (rule["fields"] is not JsonObject inner || inner.Count == 0)
            {
                Error(fieldPath, "fields: must be a non-empty mapping of target field -> rule");
                return null;
            }

            var innerRules = CompileFields(inner, fieldPath);
            var encodeJson = CompileEncode(rule, fieldPath);
            if (rule.ContainsKey("each"))
            {
                var each = RequiredPath(rule["each"], fieldPath, "each");
                return errors.Count > errorsBefore || each is null ? null
                    : new EachRule(mappingId, target, fieldPath, when, required, each, innerRules) { EncodeJson = encodeJson };
            }

            var scope = rule.ContainsKey("path") ? RequiredPath(rule["path"], fieldPath, "path") : null;
            return errors.Count > errorsBefore ? null
                : new ObjectRule(mappingId, target, fieldPath, when, required, scope, innerRules) { EncodeJson = encodeJson };
        }

        if (rule.ContainsKey("encode"))
        {
            Error(fieldPath, "'encode' goes with 'fields' (it writes the built object or list as a JSON string)");
        }

        var source = CompileSource(rule, fieldPath);
        var steps = CompileSteps(rule, fieldPath);

        JsonNode? defaultValue = null;
        if (rule.TryGetPropertyValue("default", out var defaultNode))
        {
            if (defaultNode is null)
            {
                Error(fieldPath, "default: must not be null (leave it out to omit the field)");
            }
            else if (required)
            {
                Error(fieldPath, "'required' and 'default' cannot be combined");
            }

            defaultValue = defaultNode?.DeepClone();
        }

        if (rule.ContainsKey("fallback") && !rule.ContainsKey("table"))
        {
            Error(fieldPath, "'fallback' goes with 'table'");
        }

        if (rule.ContainsKey("separator") && !rule.ContainsKey("join"))
        {
            Error(fieldPath, "'separator' goes with 'join' (for split write split: { separator: … })");
        }

        return errors.Count > errorsBefore || source is null ? null
            : new ValueRule(mappingId, target, fieldPath, when, required, source, steps, defaultValue);
    }

    /// <summary><c>encode: json</c>: the object (or list) is written as a JSON string, for wires that nest JSON in text.</summary>
    private bool CompileEncode(JsonObject rule, string fieldPath)
    {
        if (!rule.TryGetPropertyValue("encode", out var node))
        {
            return false;
        }

        if (Json.Text(node) == "json")
        {
            return true;
        }

        Error(fieldPath, $"encode: '{Json.Text(node) ?? Json.ShowJson(node)}' is not known (json)");
        return false;
    }

    private IValueSource? CompileSource(JsonObject rule, string fieldPath)
    {
        if (rule.TryGetPropertyValue("path", out var pathNode))
        {
            var path = RequiredPath(pathNode, fieldPath, "path");
            return path is null ? null : new PathSource(path);
        }

        if (rule.TryGetPropertyValue("value", out var constant))
        {
            if (constant is null)
            {
                Error(fieldPath, "value: must not be null (leave the field out instead)");
                return null;
            }

            return new ConstantSource(constant.DeepClone());
        }

        var join = rule["join"];
        if (join is not JsonArray parts || parts.Count == 0)
        {
            Error(fieldPath, "join: must be a list of paths, e.g. [Ho, Dem, Ten]");
            return null;
        }

        var paths = new List<PathExpr>();
        foreach (var part in parts)
        {
            var path = RequiredPath(part, fieldPath, "join");
            if (path is not null)
            {
                paths.Add(path);
            }
        }

        var separator = " ";
        if (rule.TryGetPropertyValue("separator", out var separatorNode))
        {
            if (separatorNode is JsonValue s && s.GetValueKind() == JsonValueKind.String)
            {
                separator = s.GetValue<string>();
            }
            else
            {
                Error(fieldPath, "separator: must be text");
            }
        }

        return paths.Count == parts.Count ? new JoinSource([.. paths], separator) : null;
    }

    private PathExpr? RequiredPath(JsonNode? node, string fieldPath, string key)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            Error(fieldPath, $"{key}: must be a path (text)");
            return null;
        }

        return ParsePath(value.GetValue<string>(), fieldPath, key);
    }

    private bool CompileFlag(JsonObject rule, string key, string fieldPath)
    {
        if (!rule.TryGetPropertyValue(key, out var node))
        {
            return false;
        }

        switch (node?.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                Error(fieldPath, $"{key}: must be true or false");
                return false;
        }
    }

    // Steps run in this order whatever the order of keys: split, table, date, type.
    private IValueStep[] CompileSteps(JsonObject rule, string fieldPath)
    {
        var steps = new List<IValueStep>();
        if (rule.TryGetPropertyValue("split", out var split) && CompileSplit(split, fieldPath) is { } splitStep)
        {
            steps.Add(splitStep);
        }

        if (rule.TryGetPropertyValue("table", out var table) && CompileTable(table, rule["fallback"], rule.ContainsKey("fallback"), fieldPath) is { } tableStep)
        {
            steps.Add(tableStep);
        }

        if (rule.TryGetPropertyValue("date", out var date) && CompileDate(date, fieldPath) is { } dateStep)
        {
            steps.Add(dateStep);
        }

        if (rule.TryGetPropertyValue("type", out var type) && CompileType(type, fieldPath) is { } typeStep)
        {
            steps.Add(typeStep);
        }

        return [.. steps];
    }

    private SplitStep? CompileSplit(JsonNode? node, string fieldPath)
    {
        if (node is not JsonObject split)
        {
            Error(fieldPath, "split: must be { separator: \" \", take: first | last | rest-after-first | N }");
            return null;
        }

        var ok = true;
        foreach (var (key, _) in split)
        {
            if (key is not ("separator" or "take"))
            {
                Error(fieldPath, $"split: unknown key '{key}'{Suggest(key, ["separator", "take"])}");
                ok = false;
            }
        }

        if (split["separator"] is not JsonValue s || s.GetValueKind() != JsonValueKind.String || s.GetValue<string>().Length == 0)
        {
            Error(fieldPath, "split: needs 'separator' (non-empty text)");
            return null;
        }

        var takeText = Json.Text(split["take"]);
        var index = 0;
        SplitTake? take = takeText switch
        {
            "first" => SplitTake.First,
            "last" => SplitTake.Last,
            "rest-after-first" => SplitTake.RestAfterFirst,
            not null when int.TryParse(takeText, NumberStyles.None, CultureInfo.InvariantCulture, out index) => SplitTake.Index,
            _ => null,
        };
        if (take is null)
        {
            Error(fieldPath, takeText is null
                ? "split: needs 'take' (first, last, rest-after-first or an index from 0)"
                : $"split: take '{takeText}' is not known (first, last, rest-after-first or an index from 0)");
            return null;
        }

        return ok ? new SplitStep(s.GetValue<string>(), take.Value, index) : null;
    }

    private TableStep? CompileTable(JsonNode? node, JsonNode? fallback, bool hasFallback, string fieldPath)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            Error(fieldPath, "table: must be the name of a table under 'tables'");
            return null;
        }

        var name = value.GetValue<string>();
        if (!tables.TryGetValue(name, out var entries))
        {
            Error(fieldPath, $"table '{name}' is not defined");
            return null;
        }

        if (hasFallback && (fallback is not JsonValue || Json.Text(fallback) is null))
        {
            Error(fieldPath, "fallback: must be a scalar (text, number or true/false)");
            return null;
        }

        return new TableStep(name, entries, fallback?.DeepClone());
    }

    private DateStep? CompileDate(JsonNode? node, string fieldPath)
    {
        if (node is not JsonObject date)
        {
            Error(fieldPath, "date: must be { from: <format>, to: <format>, zone: <time zone> }");
            return null;
        }

        var ok = true;
        foreach (var (key, _) in date)
        {
            if (key is not ("from" or "to" or "zone"))
            {
                Error(fieldPath, $"date: unknown key '{key}'{Suggest(key, ["from", "to", "zone"])}");
                ok = false;
            }
        }

        var from = Json.Text(date["from"]);
        var to = Json.Text(date["to"]);
        if (from is null || to is null)
        {
            Error(fieldPath, "date: needs 'from' and 'to' (a format like yyyyMMdd, or iso)");
            return null;
        }

        ok &= CheckDateFormat(from, fieldPath);
        ok &= CheckDateFormat(to, fieldPath);

        TimeZoneInfo? zone = null;
        var zoneText = Json.Text(date["zone"]);
        if (zoneText is not null)
        {
            zone = TimeZones.Find(zoneText);
            if (zone is null)
            {
                Error(fieldPath, $"time zone '{zoneText}' is not known (use an IANA name such as Asia/Ho_Chi_Minh)");
                ok = false;
            }
        }
        else if (from == "iso" || to == "iso")
        {
            Error(fieldPath, "date: 'iso' needs 'zone' (the time zone of local times, e.g. Asia/Ho_Chi_Minh)");
            ok = false;
        }

        return ok ? new DateStep(from == "iso" ? null : from, to == "iso" ? null : to, zone) : null;
    }

    private bool CheckDateFormat(string format, string fieldPath)
    {
        if (format == "iso")
        {
            return true;
        }

        if (!IsDateFormat(format))
        {
            Error(fieldPath, $"date format '{format}' is not valid (use letters yyyy MM dd HH mm ss fff and separators, or iso)");
            return false;
        }

        return true;
    }

    /// <summary>Only date/time letters, separators and quoted literals; no offsets (use iso); must round-trip.</summary>
    internal static bool IsDateFormat(string format)
    {
        var hasField = false;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c is '\'' or '"')
            {
                var close = format.IndexOf(c, i + 1);
                if (close < 0)
                {
                    return false;
                }

                i = close;
            }
            else if ("yMdHhmsfFt".Contains(c, StringComparison.Ordinal))
            {
                hasField = true;
            }
            else if (!" -/:.,T_".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (!hasField)
        {
            return false;
        }

        try
        {
            var text = new DateTime(2001, 12, 31, 13, 45, 56, DateTimeKind.Unspecified).ToString(format, CultureInfo.InvariantCulture);
            return DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private TypeStep? CompileType(JsonNode? node, string fieldPath)
    {
        var name = Json.Text(node);
        ValueType? type = name switch
        {
            "string" => ValueType.String,
            "int" => ValueType.Int,
            "number" => ValueType.Number,
            "bool" => ValueType.Bool,
            _ => null,
        };
        if (type is null)
        {
            Error(fieldPath, $"type '{name ?? Json.ShowJson(node)}' is not known ({string.Join(", ", Types)})");
            return null;
        }

        return new TypeStep(type.Value);
    }

    internal Condition? CompileCondition(JsonNode? node, string fieldPath)
    {
        if (node is not JsonObject when)
        {
            Error(fieldPath, "when: must be { path: …, equals: … } (or in: [..], exists: true)");
            return null;
        }

        string[] keys = ["path", "equals", "in", "exists"];
        var ok = true;
        foreach (var (key, _) in when)
        {
            if (!keys.Contains(key))
            {
                Error(fieldPath, $"when: unknown key '{key}'{Suggest(key, keys)}");
                ok = false;
            }
        }

        var path = when.ContainsKey("path") ? RequiredPath(when["path"], fieldPath, "when: path") : null;
        if (!when.ContainsKey("path"))
        {
            Error(fieldPath, "when: needs 'path'");
        }

        var tests = new[] { "equals", "in", "exists" }.Where(when.ContainsKey).ToList();
        if (tests.Count != 1)
        {
            Error(fieldPath, "when: needs exactly one of equals, in or exists");
            return null;
        }

        if (path is null || !ok)
        {
            return null;
        }

        switch (tests[0])
        {
            case "equals":
                var text = Json.Text(when["equals"]);
                if (text is null)
                {
                    Error(fieldPath, "when: equals must be a scalar");
                    return null;
                }

                return Condition.ForEquals(path, text);
            case "in":
                if (when["in"] is not JsonArray list || list.Count == 0 || list.Any(i => Json.Text(i) is null))
                {
                    Error(fieldPath, "when: in must be a non-empty list of scalars");
                    return null;
                }

                return Condition.ForIn(path, list.Select(i => Json.Text(i)!));
            default:
                var kind = when["exists"]?.GetValueKind();
                if (kind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    Error(fieldPath, "when: exists must be true or false");
                    return null;
                }

                return Condition.ForExists(path, kind == JsonValueKind.True);
        }
    }

    private List<MappingSample> CompileSamples(JsonNode? node)
    {
        var samples = new List<MappingSample>();
        if (node is not JsonArray list)
        {
            return samples;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject sample || Json.Text(sample["name"]) is not { } name)
            {
                continue; // the schema has said so
            }

            var where = $"samples[{i}]";
            if (!names.Add(name))
            {
                Error(where, $"duplicate sample name '{name}'");
            }

            var hasExpect = sample.ContainsKey("expect");
            var error = Json.Text(sample["error"]);
            if (hasExpect == (error is not null))
            {
                Error(where, "needs either 'expect' (the output; null for no record) or 'error' (text the mapping error contains)");
                continue;
            }

            samples.Add(new MappingSample(name, sample["input"]?.DeepClone(), sample["expect"]?.DeepClone()) { ExpectError = error });
        }

        return samples;
    }

    private static string Suggest(string key, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(key, k))).MinBy(x => x.d);
        return best.d <= 2 ? $" (did you mean '{best.k}'?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.(request|reply)$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
