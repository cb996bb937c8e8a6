using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace OneStop.Hub.Kafka;

/// <summary>A topic as the cluster has it; <see cref="Exists"/> false when the cluster has no such topic.</summary>
public sealed record TopicState(string Name, bool Exists, int Partitions, int ReplicationFactor, IReadOnlyDictionary<string, string> Configs);

/// <summary>One difference between a topic's spec and the cluster; <see cref="Fatal"/> ones stop a production start.</summary>
public sealed record TopicProblem(string Topic, string Setting, string Message, bool Fatal)
{
    public override string ToString() => $"Kafka topic {Topic}: {Setting}: {Message}";
}

/// <summary>Reads, compares and applies <see cref="TopicSpec"/>s through the Kafka AdminClient.</summary>
public static class KafkaTopicAdmin
{
    private static readonly string[] CheckedConfigs = ["cleanup.policy", "min.insync.replicas", "retention.ms"];

    /// <summary>
    /// What a topic as it is lacks against its spec. Fatal: missing, a different cleanup.policy (a compacted log
    /// loses history, a deleting state topic loses state), fewer partitions. Warnings: a lower replication factor or
    /// min.insync.replicas, a shorter retention.
    /// </summary>
    public static IReadOnlyList<TopicProblem> Compare(TopicSpec spec, TopicState state)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Exists)
        {
            return [new(spec.Name, "exists", "missing (auto-creation would give it the broker's defaults); create it with `onestop kafka topics --apply`", true)];
        }

        var problems = new List<TopicProblem>();
        if (state.Configs.TryGetValue("cleanup.policy", out var policy) && !SamePolicy(policy, spec.CleanupPolicy))
        {
            problems.Add(new(spec.Name, "cleanup.policy", $"is {policy}, must be {spec.CleanupPolicy}", true));
        }

        if (state.Partitions < spec.Partitions)
        {
            problems.Add(new(spec.Name, "partitions", $"has {state.Partitions}, needs at least {spec.Partitions} (Kafka:Topics:Partitions)", true));
        }

        if (state.ReplicationFactor < spec.ReplicationFactor)
        {
            problems.Add(new(spec.Name, "replication.factor", $"is {state.ReplicationFactor}, spec {spec.ReplicationFactor} (Kafka:Topics:ReplicationFactor)", false));
        }

        if (state.Configs.TryGetValue("min.insync.replicas", out var isr) && int.TryParse(isr, CultureInfo.InvariantCulture, out var minIsr) && minIsr < spec.MinInsyncReplicas)
        {
            problems.Add(new(spec.Name, "min.insync.replicas", $"is {minIsr}, spec {spec.MinInsyncReplicas} (Kafka:Topics:MinInsyncReplicas)", false));
        }

        if (spec.CleanupPolicy == TopicSpec.Delete && state.Configs.TryGetValue("retention.ms", out var retention)
            && long.TryParse(retention, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && (spec.RetentionMs < 0 || ms < spec.RetentionMs))
        {
            problems.Add(new(spec.Name, "retention.ms", $"is {ms}, spec {spec.RetentionMs} ({spec.RetentionText}): records would be deleted earlier than policy says", false));
        }

        return problems;
    }

    /// <summary>Reads the topics of <paramref name="specs"/> from the cluster, without creating any.</summary>
    public static async Task<IReadOnlyList<TopicState>> DescribeAsync(IAdminClient admin, IEnumerable<TopicSpec> specs, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var names = specs.Select(s => s.Name).ToList();
        var states = new List<TopicState>();
        foreach (var name in names)
        {
            TopicDescription description;
            try
            {
                var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames([name]), new DescribeTopicsOptions { RequestTimeout = timeout }).ConfigureAwait(false);
                description = described.TopicDescriptions.Single();
            }
            catch (DescribeTopicsException e) when (e.Results.TopicDescriptions.SingleOrDefault()?.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                states.Add(new TopicState(name, false, 0, 0, new Dictionary<string, string>()));
                continue;
            }

            var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = name }], new DescribeConfigsOptions { RequestTimeout = timeout })
                .ConfigureAwait(false);
            states.Add(new TopicState(
                name, true, description.Partitions.Count, description.Partitions.Count == 0 ? 0 : description.Partitions.Min(p => p.Replicas.Count),
                configs.Single().Entries.Where(e => CheckedConfigs.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal)));
        }

        return states;
    }

    /// <summary>
    /// Creates missing topics and sets the spec's topic settings on existing ones. Returns what it did, one line each.
    /// Partitions and the replication factor of an existing topic are reported, not changed: see the lines.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(IAdminClient admin, IReadOnlyList<TopicSpec> specs, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(specs);
        var done = new List<string>();
        var states = (await DescribeAsync(admin, specs, timeout).ConfigureAwait(false)).ToDictionary(s => s.Name);
        var missing = specs.Where(s => !states[s.Name].Exists).ToList();
        if (missing.Count > 0)
        {
            await admin.CreateTopicsAsync(
                missing.Select(s => new TopicSpecification
                {
                    Name = s.Name, NumPartitions = s.Partitions, ReplicationFactor = s.ReplicationFactor, Configs = s.Configs.ToDictionary(),
                }),
                new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout }).ConfigureAwait(false);
            done.AddRange(missing.Select(s => $"created {s.Name}: {s.Partitions} partitions, replication factor {s.ReplicationFactor}, {s.CleanupPolicy}, retention {s.RetentionText}"));
        }

        var existing = specs.Where(s => states[s.Name].Exists).ToList();
        if (existing.Count > 0)
        {
            await admin.IncrementalAlterConfigsAsync(
                existing.Select(s => new ConfigResource { Type = ResourceType.Topic, Name = s.Name }).ToDictionary(
                    r => r,
                    r => (List<ConfigEntry>)[.. specs.Single(s => s.Name == r.Name).Configs.Select(c => new ConfigEntry { Name = c.Key, Value = c.Value, IncrementalOperation = AlterConfigOpType.Set })]),
                new IncrementalAlterConfigsOptions { RequestTimeout = timeout }).ConfigureAwait(false);
            done.AddRange(existing.Select(s => $"set {s.Name}: {string.Join(", ", s.Configs.Select(c => $"{c.Key}={c.Value}"))}"));

            done.AddRange(existing.Where(s => states[s.Name].Partitions < s.Partitions).Select(s =>
                $"NOT changed {s.Name}: {states[s.Name].Partitions} partitions < {s.Partitions}; adding partitions moves keys, so a dossier's later events could overtake earlier ones: add them with kafka-topics.sh --alter only while the hub is stopped and every consumer group has caught up"));
            done.AddRange(existing.Where(s => states[s.Name].ReplicationFactor < s.ReplicationFactor).Select(s =>
                $"NOT changed {s.Name}: replication factor {states[s.Name].ReplicationFactor} < {s.ReplicationFactor}; reassign partitions with kafka-reassign-partitions.sh"));
        }

        return done;
    }

    private static bool SamePolicy(string actual, string wanted) =>
        actual.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)
            .SequenceEqual(wanted.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
}
