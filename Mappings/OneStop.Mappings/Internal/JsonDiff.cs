using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

/// <summary>Finds the first place two trees differ, named by field path (<c>thuong_tru.ma_tinh_thanh</c>, <c>items[1].x</c>).</summary>
internal static class JsonDiff
{
    /// <summary>Null when equal (by <see cref="JsonNode.DeepEquals"/>); otherwise "path: expected …, got …".</summary>
    public static string? First(JsonNode? expected, JsonNode? actual) =>
        FirstAt(expected, actual) is { } d ? $"{d.Path}: {d.Problem}" : null;

    /// <summary>Null when equal; otherwise where (<c>$</c> for the whole) and what differs.</summary>
    public static (string Path, string Problem)? FirstAt(JsonNode? expected, JsonNode? actual) =>
        JsonNode.DeepEquals(expected, actual) ? null : Walk(expected, actual, string.Empty) ?? ("$", $"expected {Json.ShowJson(expected)}, got {Json.ShowJson(actual)}");

    private static (string, string)? Walk(JsonNode? expected, JsonNode? actual, string path)
    {
        if (JsonNode.DeepEquals(expected, actual))
        {
            return null;
        }

        var here = path.Length == 0 ? "$" : path;
        if (expected is JsonObject e && actual is JsonObject a)
        {
            foreach (var (name, value) in e)
            {
                var child = Child(path, name);
                if (!a.TryGetPropertyValue(name, out var other))
                {
                    return (child, $"missing (expected {Json.ShowJson(value)})");
                }

                if (Walk(value, other, child) is { } found)
                {
                    return found;
                }
            }

            foreach (var (name, value) in a)
            {
                if (!e.ContainsKey(name))
                {
                    return (Child(path, name), $"not expected, got {Json.ShowJson(value)}");
                }
            }

            return null;
        }

        if (expected is JsonArray ea && actual is JsonArray aa)
        {
            for (var i = 0; i < Math.Min(ea.Count, aa.Count); i++)
            {
                if (Walk(ea[i], aa[i], $"{path}[{i}]") is { } found)
                {
                    return found;
                }
            }

            return (here, $"expected {ea.Count} items, got {aa.Count}");
        }

        return (here, $"expected {Json.ShowJson(expected)}, got {Json.ShowJson(actual)}");
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
