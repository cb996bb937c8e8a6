using System.CommandLine;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OneStop.Hub.Kafka;
using OneStop.Hub.Kafka.Evidence;

namespace OneStop.Cli.Commands;

/// <summary>
/// <c>kafka topics [--check | --apply]</c>: the topics the hub uses and how each must be set up, read from the hub's
/// own settings (<c>--config</c> file, then environment variables such as <c>Kafka__BootstrapServers</c>,
/// <c>Kafka__Topics__Partitions</c>, <c>Kafka__Client__security.protocol</c>, then files in <c>Secrets:Path</c>).
/// </summary>
public static class KafkaCommands
{
    /// <summary>Exit code when the cluster's topics differ from their specs in a way that stops a production hub.</summary>
    public const int Mismatch = 2;

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "A settings file of the hub (appsettings.json layout); environment variables override it" };
        var bootstrap = new Option<string>("--bootstrap-servers") { Description = "Brokers (host:port,…); default Kafka:BootstrapServers" };
        var check = new Option<bool>("--check") { Description = "Compare the cluster's topics with the specs; exit 2 on a difference that stops a production hub" };
        var apply = new Option<bool>("--apply") { Description = "Create missing topics and set the specs' topic settings through the AdminClient" };
        var topics = new Command("topics", "Print every topic the hub uses: partitions, replication factor, min.insync.replicas, cleanup.policy, retention");
        foreach (var option in new Option[] { config, bootstrap, check, apply })
        {
            topics.Options.Add(option);
        }

        topics.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var settings = Settings(result.GetValue(config), result.GetValue(bootstrap));
            var kafka = KafkaOptions.From(settings);
            var evidence = settings.GetSection("Evidence").Get<EvidenceOptions>() ?? new EvidenceOptions();
            var specs = new KafkaTopics(Options.Create(kafka), Options.Create(evidence)).Specs;
            await output.WriteLineAsync(Table(specs)).ConfigureAwait(false);
            if (!result.GetValue(check) && !result.GetValue(apply))
            {
                return 0;
            }

            if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
            {
                await error.WriteLineAsync("Kafka:BootstrapServers: required to reach the cluster (--bootstrap-servers, or Kafka__BootstrapServers)").ConfigureAwait(false);
                return 1;
            }

            var clientConfig = new AdminClientConfig(new ClientConfig(kafka.Client.ToDictionary()) { BootstrapServers = kafka.BootstrapServers });
            using var admin = new AdminClientBuilder(clientConfig).Build();
            var timeout = TimeSpan.FromSeconds(30);
            try
            {
                if (result.GetValue(apply))
                {
                    foreach (var line in await KafkaTopicAdmin.ApplyAsync(admin, specs, timeout).ConfigureAwait(false))
                    {
                        await output.WriteLineAsync(line).ConfigureAwait(false);
                    }
                }

                var states = await KafkaTopicAdmin.DescribeAsync(admin, specs, timeout).ConfigureAwait(false);
                var problems = specs.Zip(states, KafkaTopicAdmin.Compare).SelectMany(p => p).ToList();
                foreach (var problem in problems)
                {
                    await output.WriteLineAsync((problem.Fatal ? "WRONG: " : "note: ") + problem).ConfigureAwait(false);
                }

                await output.WriteLineAsync(problems.Any(p => p.Fatal) ? "topics differ from their specs" : "topics match their specs").ConfigureAwait(false);
                return problems.Any(p => p.Fatal) ? Mismatch : 0;
            }
            catch (KafkaException e)
            {
                await error.WriteLineAsync($"Kafka at {kafka.BootstrapServers}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });

        var group = new Command("kafka", "The hub's Kafka topics: specs, check, apply");
        group.Subcommands.Add(topics);
        return group;
    }

    /// <summary>The specs as a table, one topic per line.</summary>
    public static string Table(IReadOnlyList<TopicSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var width = Math.Max("topic".Length, specs.Max(s => s.Name.Length));
        var lines = new List<string> { $"{"topic".PadRight(width)}  partitions  replication  min.insync.replicas  cleanup.policy  retention  purpose" };
        lines.AddRange(specs.Select(s =>
            $"{s.Name.PadRight(width)}  {s.Partitions,10}  {s.ReplicationFactor,11}  {s.MinInsyncReplicas,19}  {s.CleanupPolicy,-14}  {s.RetentionText,-9}  {s.Purpose}"));
        return string.Join(Environment.NewLine, lines);
    }

    private static IConfiguration Settings(FileInfo? file, string? bootstrapServers)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddJsonFile(file.FullName, optional: false);
        }

        builder.AddEnvironmentVariables();
        var secrets = builder.Build()["Secrets:Path"];
        if (!string.IsNullOrWhiteSpace(secrets))
        {
            builder.AddKeyPerFile(secrets, optional: true);
        }

        if (!string.IsNullOrWhiteSpace(bootstrapServers))
        {
            builder.AddInMemoryCollection([new("Kafka:BootstrapServers", bootstrapServers)]);
        }

        return builder.Build();
    }
}
