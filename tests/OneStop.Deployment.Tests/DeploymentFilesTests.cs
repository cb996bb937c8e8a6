using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OneStop.Testing;
using Shouldly;
using YamlDotNet.RepresentationModel;

namespace OneStop.Deployment.Tests;

/// <summary>
/// The packaging files cannot run here (no container engine, no systemd): what can be checked is that they parse and
/// that every setting they give the hub is one the hub reads.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static string RepoFile(params string[] parts) => Path.Combine([RepoPaths.Root, .. parts]);

    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepoFile("deploy", "compose.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    /// <summary>A mapping with its merge keys (<c>&lt;&lt;: *anchor</c>) applied; its own entries win.</summary>
    private static Dictionary<string, YamlNode> Merged(YamlMappingNode node)
    {
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out var merge))
        {
            foreach (var kv in Merged((YamlMappingNode)merge))
            {
                entries[kv.Key] = kv.Value;
            }
        }

        foreach (var (key, value) in node.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name != "<<")
            {
                entries[name] = value;
            }
        }

        return entries;
    }

    private static Dictionary<string, YamlNode> Service(string name) =>
        Merged((YamlMappingNode)((YamlMappingNode)Merged(Compose())["services"]).Children[new YamlScalarNode(name)]);

    private static Dictionary<string, string> Environment(Dictionary<string, YamlNode> service) =>
        Merged((YamlMappingNode)service["environment"]).ToDictionary(kv => kv.Key, kv => ((YamlScalarNode)kv.Value).Value ?? "", StringComparer.Ordinal);

    [Fact]
    public void Compose_runs_three_KRaft_brokers_of_the_official_image()
    {
        var brokers = Enumerable.Range(1, 3).Select(i => Service($"kafka-{i}")).ToList();
        brokers.ShouldAllBe(b => ((YamlScalarNode)b["image"]).Value!.StartsWith("apache/kafka:", StringComparison.Ordinal));
        var env = brokers.Select(Environment).ToList();
        env.Select(e => e["KAFKA_NODE_ID"]).ShouldBe(["1", "2", "3"]);
        env.ShouldAllBe(e => e["KAFKA_PROCESS_ROLES"] == "broker,controller");
        env.ShouldAllBe(e => e["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
        env.ShouldAllBe(e => e["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false");
    }

    [Fact]
    public void Compose_applies_the_topics_before_two_hub_instances_start_against_the_fakes()
    {
        var topics = Service("topics");
        ((YamlSequenceNode)topics["entrypoint"]).Select(n => ((YamlScalarNode)n).Value).ShouldBe(["dotnet", "/app/cli/onestop.dll", "kafka", "topics", "--apply"]);

        var hubs = new[] { Service("hub-1"), Service("hub-2") };
        foreach (var hub in hubs)
        {
            ((YamlMappingNode)hub["depends_on"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ShouldContain("topics");
            Environment(hub)["Kafka__BootstrapServers"].ShouldBe("kafka-1:9092,kafka-2:9092,kafka-3:9092");
        }

        hubs.Select(h => Environment(h)["Evidence__InstanceId"]).ShouldBe(["hub-1", "hub-2"]);
        hubs.Select(h => Environment(h)["Kestrel__Endpoints__Http__Url"]).ShouldBeUnique();
        ((YamlScalarNode)Service("mocks")["build"]["target"]).Value.ShouldBe("mocks");
    }

    [Fact]
    public void Every_setting_compose_gives_the_hub_is_one_the_hub_reads()
    {
        foreach (var service in new[] { "hub-1", "hub-2", "topics" })
        {
            HostSettings.Unknown(HostSettings.FromEnvironment(Environment(Service(service)))).ShouldBeEmpty(service);
        }
    }

    [Fact]
    public void The_settings_check_catches_a_misspelt_key_and_a_bad_value()
    {
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["Kafka__BootstrapServer"] = "kafka:9092",
                     ["Kafka__Topics__Partitions"] = "twelve",
                     ["Upstreams__Land__BaseUri"] = "http://land/",
                     ["Inbound__Foo"] = "1",
                 })
        {
            HostSettings.Unknown(HostSettings.FromEnvironment([new(key, value)])).ShouldHaveSingleItem(key);
        }

        HostSettings.Unknown(HostSettings.FromEnvironment([new("Kafka__Topics__Partitions", "24"), new("Upstreams__Land__BaseUrl", "http://land/")])).ShouldBeEmpty();
    }

    [Fact]
    public void The_shipped_settings_files_set_only_settings_the_hub_reads()
    {
        foreach (var file in new[] { "appsettings.json", "appsettings.Development.json", "appsettings.Standalone.json" })
        {
            var settings = new ConfigurationBuilder().AddJsonFile(RepoFile("Hub.Host", "OneStop.Hub.Host", file)).Build()
                .AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
            HostSettings.Unknown(settings).ShouldBeEmpty(file);
        }
    }

    [Fact]
    public void The_production_settings_hold_no_client_and_no_demo_switch()
    {
        var production = new ConfigurationBuilder().AddJsonFile(RepoFile("Hub.Host", "OneStop.Hub.Host", "appsettings.json")).Build();
        production.GetSection("Security:Clients").GetChildren().ShouldBeEmpty();
        production[OneStop.Hub.DemoMode.EnabledKey].ShouldBeNull();
        File.ReadAllText(RepoFile("Hub.Host", "OneStop.Hub.Host", "OneStop.Hub.Host.csproj")).ShouldNotContain("Mocks");
    }

    [Fact]
    public void Dockerfile_is_multi_stage_non_root_with_a_health_check()
    {
        var lines = File.ReadAllLines(RepoFile("Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        stages.Count.ShouldBeGreaterThanOrEqualTo(2);
        stages[0].l.ShouldStartWith("FROM mcr.microsoft.com/dotnet/sdk:10.0");

        // The last stage is the default target: the hub.
        var hub = lines.Skip(stages[^1].i).ToList();
        hub[0].ShouldBe("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS hub");
        hub.ShouldContain("USER $APP_UID");
        hub.ShouldContain(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        hub.ShouldContain(l => l.Contains("/health", StringComparison.Ordinal));
        hub[^1].ShouldBe("""ENTRYPOINT ["dotnet", "OneStop.Hub.Host.dll"]""");

        var env = string.Join(' ', hub.SkipWhile(l => !l.StartsWith("ENV ", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("EXPOSE", StringComparison.Ordinal)))
            .Replace("ENV ", "", StringComparison.Ordinal).Replace("\\", " ", StringComparison.Ordinal);
        var settings = EnvAssignment().Matches(env).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        settings.ShouldContainKey("Kestrel__Endpoints__Http__Url");
        HostSettings.Unknown(HostSettings.FromEnvironment(settings)).ShouldBeEmpty();
    }

    [Fact]
    public void Systemd_unit_notifies_and_sets_only_settings_the_hub_reads()
    {
        var lines = File.ReadAllLines(RepoFile("deploy", "onestop-hub.service")).Where(l => !l.StartsWith('#')).ToList();
        lines.ShouldContain("Type=notify");
        lines.ShouldContain("RestartPreventExitStatus=78");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                var (key, value) = Split(line["Environment=".Length..], '=');
                settings[key] = value;
            }
            else if (line.StartsWith("LoadCredential=", StringComparison.Ordinal))
            {
                settings[Split(line["LoadCredential=".Length..], ':').Key] = "(secret file)";
            }
        }

        // A credential the hub opens by its path (%d/name, e.g. the evidence signing key) is a file, not a setting.
        foreach (var file in settings.Values.Where(v => v.StartsWith("%d/", StringComparison.Ordinal)).Select(v => v["%d/".Length..]).ToList())
        {
            settings[file].ShouldBe("(secret file)", file);
            settings.Remove(file);
        }

        settings["Secrets__Path"].ShouldBe("%d");
        settings.ShouldContainKey("Kafka__Client__sasl.password");
        HostSettings.Unknown(HostSettings.FromEnvironment(settings)).ShouldBeEmpty();

        // Type=notify needs the hub to tell systemd it is ready: the host ships Microsoft.Extensions.Hosting.Systemd.
        File.Exists(Path.Combine(Path.GetDirectoryName(HubProcess.HostAssembly)!, "Microsoft.Extensions.Hosting.Systemd.dll")).ShouldBeTrue();
    }

    private static (string Key, string Value) Split(string text, char separator)
    {
        var at = text.IndexOf(separator, StringComparison.Ordinal);
        return (text[..at], text[(at + 1)..]);
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_.]*)=(\S+)")]
    private static partial Regex EnvAssignment();
}
