using Microsoft.Extensions.Hosting;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>Connects to (or starts) the cluster and resumes the evidence chain while the host starts, so a missing cluster stops the start instead of the first call.</summary>
internal sealed class KafkaStartup(KafkaCluster cluster, KafkaTopics topics, Evidence.KafkaEvidenceRecorder evidence, EvidenceReadiness readiness) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = cluster.BootstrapServers;
        // The delivery consumers subscribe to the dossier log at start; where topics are created on first use (the
        // embedded cluster), ask for it now so they are assigned its partitions before the first event arrives.
        cluster.EnsureTopics([topics.DossierEvents], TimeSpan.FromSeconds(10));
        await evidence.StartAsync(cancellationToken).ConfigureAwait(false);
        readiness.MarkRestored();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class KafkaHealthCheck(KafkaCluster cluster) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var brokers = cluster.CountBrokers(TimeSpan.FromSeconds(2));
            return Task.FromResult(brokers > 0
                ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy($"{brokers} brokers{(cluster.IsEmbedded ? " (embedded, in memory)" : "")}")
                : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("no brokers"));
        }
        catch (Confluent.Kafka.KafkaException e)
        {
            return Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("Kafka metadata request failed: " + e.Error.Reason));
        }
    }
}
