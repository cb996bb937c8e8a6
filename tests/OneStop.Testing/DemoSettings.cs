using Microsoft.Extensions.Configuration;

namespace OneStop.Testing;

/// <summary>
/// The host's demo settings (<c>appsettings.Development.json</c>: the demo clients, <c>Demo:Enabled</c> for the
/// in-memory Kafka cluster, the population integration codes) under a test's own settings. Test hubs run in the
/// Testing environment, which reads only appsettings.json, as production does; this adds what the demo adds.
/// Only the sections tests rely on are taken: the demo's live-edit mapping folder (<c>Mappings:Path</c>, relative to
/// the content root in Development only), its inbound pull agencies and example-upstream secret stay demo-only.
/// </summary>
public static class DemoSettings
{
    private static readonly string[] Sections = ["Demo:", "Kafka:", "Security:", "Upstreams:Population:"];

    private static readonly Lazy<Dictionary<string, string?>> Development = new(() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Root, "Hub.Host", "OneStop.Hub.Host", "appsettings.Development.json"), optional: false)
            .Build()
            .AsEnumerable()
            .Where(kv => kv.Value is not null && Sections.Any(s => kv.Key.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>The demo settings, then <paramref name="settings"/> over them.</summary>
    public static Dictionary<string, string?> Under(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var all = new Dictionary<string, string?>(Development.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }
}
