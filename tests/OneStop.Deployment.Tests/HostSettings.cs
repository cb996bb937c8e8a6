using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OneStop.Adapters;
using OneStop.Hub;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Hub.Inbound;
using OneStop.Hub.Kafka;
using OneStop.Hub.Kafka.Evidence;
using OneStop.Hub.Kafka.State;
using OneStop.Hub.Mappings;
using OneStop.Hub.Security;

namespace OneStop.Deployment.Tests;

/// <summary>
/// Which settings the host reads: each section binds to the host's options class, and the configuration binder (with
/// <see cref="BinderOptions.ErrorOnUnknownConfiguration"/>) says which keys no option has. Framework sections
/// (Kestrel endpoints, Logging) and the hosting keys are known by name.
/// </summary>
internal static partial class HostSettings
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Security:ClientCertificates"] = typeof(OneStop.Hub.Host.Security.ClientCertificateOptions),
        ["Security:Tokens"] = typeof(OneStop.Hub.Host.Security.TokenOptions),
        ["Kafka"] = typeof(KafkaOptions),
        ["Delivery"] = typeof(DeliveryOptions),
        ["Evidence"] = typeof(EvidenceOptions),
        ["Mappings"] = typeof(MappingsOptions),
        ["Mappings:Shadow"] = typeof(ShadowOptions),
        ["Security"] = typeof(SecurityOptions),
        ["Inbound"] = typeof(InboundOptions),
        ["State"] = typeof(StateOptions),
    };

    /// <summary>Keys read one by one rather than bound to an options class (hosting, tracing).</summary>
    private static readonly string[] HostingKeys =
        ["DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "AllowedHosts", DemoMode.EnabledKey, "Secrets:Path", "Otel:Endpoint", "Otel:Protocol"];

    /// <summary>Environment-variable names (<c>Kafka__BootstrapServers</c>) as configuration keys.</summary>
    public static Dictionary<string, string?> FromEnvironment(IEnumerable<KeyValuePair<string, string>> variables) =>
        variables.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key of <paramref name="settings"/> no host option reads, or whose value does not bind, with the reason.</summary>
    public static IReadOnlyList<string> Unknown(IReadOnlyDictionary<string, string?> settings)
    {
        var problems = new List<string>();
        foreach (var key in settings.Keys)
        {
            var top = key.Split(':')[0];
            if (HostingKeys.Contains(key, StringComparer.OrdinalIgnoreCase) || top.Equals("Logging", StringComparison.OrdinalIgnoreCase)
                || (top.Equals("Kestrel", StringComparison.OrdinalIgnoreCase) && KestrelKey().IsMatch(key)))
            {
                continue;
            }

            if (!Sections.Keys.Any(section => section.Split(':')[0].Equals(top, StringComparison.OrdinalIgnoreCase)) && !top.Equals("Upstreams", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{key}: no option of the host reads section {top}");
            }
        }

        foreach (var (name, type) in Sections)
        {
            // A section bound by its own options (Security:ClientCertificates) is left out of its parent's (Security).
            var inner = Sections.Keys.Where(k => k.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).ToList();
            var own = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(kv =>
                kv.Key.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) && !inner.Any(i => kv.Key.StartsWith(i + ":", StringComparison.OrdinalIgnoreCase)))).Build();
            Bind(own.GetSection(name), type, problems);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        foreach (var upstream in configuration.GetSection("Upstreams").GetChildren())
        {
            Bind(upstream, typeof(UpstreamOptions), problems);
        }

        return problems;
    }

    private static void Bind(IConfigurationSection section, Type type, List<string> problems)
    {
        if (!section.Exists())
        {
            return;
        }

        try
        {
            section.Get(type, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{section.Path}: {e.Message}");
        }
    }

    [GeneratedRegex(@"^Kestrel:(Endpoints:[A-Za-z0-9]+:(Url|Protocols|Certificate:(Path|KeyPath|Password))|Limits:.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex KestrelKey();
}
