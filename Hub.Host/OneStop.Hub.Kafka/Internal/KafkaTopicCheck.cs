using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// At start, compares the cluster's topics with <see cref="KafkaTopics.Specs"/> as far as the broker lets it
/// (describe rights). <c>Kafka:Topics:Check</c> Enforce: fatal differences stop the start, one line each naming topic
/// and setting; Warn: logged. The embedded mock cluster is not checked: it cannot create topics.
/// </summary>
internal sealed partial class KafkaTopicCheck(KafkaCluster cluster, KafkaTopics topics, IOptions<KafkaOptions> options, ILogger<KafkaTopicCheck> logger) : IStartupCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        var mode = options.Value.Topics.Check;
        if (cluster.IsEmbedded || mode == TopicCheckMode.Off)
        {
            return [];
        }

        IReadOnlyList<TopicState> states;
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig(cluster.ClientConfig())).SetLogHandler((_, _) => { }).Build();
            states = await KafkaTopicAdmin.DescribeAsync(admin, topics.Specs, Timeout).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            // Not allowed to describe (ACLs), or a broker that cannot: say so, and go on with what Kafka itself enforces.
            LogUncheckable(logger, e.Error.Reason);
            return [];
        }

        var problems = topics.Specs.Zip(states, KafkaTopicAdmin.Compare).SelectMany(p => p).ToList();
        foreach (var problem in problems.Where(p => !p.Fatal || mode == TopicCheckMode.Warn))
        {
            LogProblem(logger, problem.ToString());
        }

        return mode == TopicCheckMode.Enforce
            ? [.. problems.Where(p => p.Fatal).Select(p => $"{p} (checked because Kafka:Topics:Check is Enforce)")]
            : [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topics: not checked, the cluster did not describe them ({Reason})")]
    private static partial void LogUncheckable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
