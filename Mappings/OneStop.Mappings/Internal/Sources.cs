using System.Text;
using System.Text.Json.Nodes;

namespace OneStop.Mappings.Internal;

/// <summary>Where a scalar field's value comes from.</summary>
internal interface IValueSource
{
    /// <summary>True when <see cref="Get"/> returns a node of its own (no copy needed before output).</summary>
    bool ProducesNewNodes { get; }

    JsonNode? Get(JsonNode? scope, FieldRule rule);

    /// <summary>For "required value missing at …".</summary>
    string Describe();
}

internal sealed class PathSource(PathExpr path) : IValueSource
{
    public PathExpr Path => path;

    public bool ProducesNewNodes => false;

    public JsonNode? Get(JsonNode? scope, FieldRule rule) => path.Resolve(scope);

    public string Describe() => path.Text;
}

internal sealed class ConstantSource(JsonNode value) : IValueSource
{
    public JsonNode Value => value;

    public bool ProducesNewNodes => false;

    public JsonNode? Get(JsonNode? scope, FieldRule rule) => value;

    public string Describe() => "value";
}

/// <summary><c>join: [Ho, Dem, Ten]</c>: the texts at the paths, absent or blank ones skipped.</summary>
internal sealed class JoinSource(PathExpr[] parts, string separator) : IValueSource
{
    public IReadOnlyList<PathExpr> Parts => parts;

    public bool ProducesNewNodes => true;

    public JsonNode? Get(JsonNode? scope, FieldRule rule)
    {
        StringBuilder? builder = null;
        foreach (var part in parts)
        {
            var node = part.Resolve(scope);
            if (Json.IsAbsent(node))
            {
                continue;
            }

            var text = Json.Text(node) ?? throw rule.Fail($"value at {part.Text} is not a scalar and cannot be joined");
            var trimmed = text.AsSpan().Trim();
            if (trimmed.IsEmpty)
            {
                continue;
            }

            if (builder is null)
            {
                builder = new StringBuilder(trimmed.Length + 16);
            }
            else
            {
                builder.Append(separator);
            }

            builder.Append(trimmed);
        }

        return builder is null ? null : JsonValue.Create(builder.ToString());
    }

    public string Describe() => string.Join(", ", parts.Select(p => p.Text));
}
