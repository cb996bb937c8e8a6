using System.Diagnostics;
using System.Text.Json.Nodes;
using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>
/// Spans of the adapters: a call to an upstream or destination through its resilience pipeline (HttpClient's own
/// spans, one per HTTP attempt, are its children), and each mapping applied. Names carry the upstream and the
/// mapping's version tag only.
/// </summary>
public static class UpstreamActivities
{
    public const string SourceName = "OneStop.Adapters";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartCall(string upstream)
    {
        var activity = Source.StartActivity($"upstream {upstream}", ActivityKind.Internal);
        activity?.SetTag("onestop.upstream", upstream);
        return activity;
    }

    /// <summary>Applies <paramref name="mapping"/> inside a span named after its version tag.</summary>
    public static JsonNode? ApplyTraced(this MappingDefinition mapping, JsonNode? source)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        using var activity = Source.StartActivity($"mapping {mapping.VersionTag}");
        activity?.SetTag("onestop.mapping", mapping.VersionTag);
        try
        {
            return mapping.Apply(source);
        }
        catch (MappingException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "mapping failed");
            throw;
        }
    }
}
