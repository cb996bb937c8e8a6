using System.Globalization;
using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

/// <summary>
/// A compiled path: dot-separated property names and <c>[n]</c> indexes, <c>$</c> for the current scope.
/// Parsed once at load; <see cref="Resolve(JsonNode?)"/> only walks the tree.
/// </summary>
internal sealed class PathExpr
{
    // names[i] is the property of segment i, or null when segment i is the index indexes[i].
    private readonly string?[] names;
    private readonly int[] indexes;

    private PathExpr(string text, string?[] names, int[] indexes)
    {
        Text = text;
        this.names = names;
        this.indexes = indexes;
    }

    public string Text { get; }

    /// <summary>The segments in order: a property name, or null for an index (the schema check walks these).</summary>
    public IReadOnlyList<string?> Names => names;

    public override string ToString() => Text;

    /// <summary>Compiles <paramref name="text"/>; on failure returns null and says why.</summary>
    public static PathExpr? TryParse(string text, out string? error)
    {
        error = null;
        var names = new List<string?>();
        var indexes = new List<int>();
        var i = 0;
        if (text.Length == 0)
        {
            error = "path is empty";
            return null;
        }

        if (text[0] == '$')
        {
            i = 1;
            if (i < text.Length && text[i] == '.')
            {
                i++;
                if (i == text.Length)
                {
                    error = $"path '{text}' ends with '.'";
                    return null;
                }
            }
            else if (i < text.Length && text[i] != '[')
            {
                error = $"path '{text}': after '$' comes '.' or '['";
                return null;
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    error = $"path '{text}' has '[' without ']'";
                    return null;
                }

                var digits = text.AsSpan(i + 1, close - i - 1);
                if (digits.Length == 0 || digits.ContainsAnyExceptInRange('0', '9')
                    || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    error = $"path '{text}': index '[{digits}]' is not a number";
                    return null;
                }

                names.Add(null);
                indexes.Add(index);
                i = close + 1;
            }
            else if (c is '.' or ']')
            {
                error = $"path '{text}' has an empty segment";
                return null;
            }
            else
            {
                var end = text.AsSpan(i).IndexOfAny('.', '[', ']');
                end = end < 0 ? text.Length : i + end;
                names.Add(text[i..end]);
                indexes.Add(0);
                i = end;
            }

            if (i < text.Length)
            {
                if (text[i] == '.')
                {
                    i++;
                    if (i == text.Length)
                    {
                        error = $"path '{text}' ends with '.'";
                        return null;
                    }

                    if (text[i] is '.' or '[' or ']')
                    {
                        error = $"path '{text}' has an empty segment";
                        return null;
                    }
                }
                else if (text[i] != '[')
                {
                    error = $"path '{text}' has an empty segment";
                    return null;
                }
            }
        }

        return new PathExpr(text, [.. names], [.. indexes]);
    }

    public JsonNode? Resolve(JsonNode? scope) => Resolve(scope, out _);

    /// <summary>
    /// Walks the path. <paramref name="missing"/> is true when a property along the way does not exist
    /// (or the value there is not an object); a JSON null or an index past the end is "nothing", not missing.
    /// An index on a single value that is not an array treats it as a one-item list.
    /// </summary>
    public JsonNode? Resolve(JsonNode? scope, out bool missing)
    {
        missing = false;
        var node = scope;
        for (var i = 0; i < names.Length; i++)
        {
            if (node is null)
            {
                return null;
            }

            var name = names[i];
            if (name is not null)
            {
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
                {
                    missing = true;
                    return null;
                }
            }
            else if (node is JsonArray array)
            {
                var index = indexes[i];
                node = index < array.Count ? array[index] : null;
            }
            else if (indexes[i] != 0)
            {
                return null;
            }
        }

        return node;
    }
}
