using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Adapters;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>Whether this instance's evidence chain continues from its head in Kafka (set by <see cref="KafkaStartup"/>).</summary>
internal sealed class EvidenceReadiness
{
    private volatile bool _restored;

    public bool Restored => _restored;

    public void MarkRestored() => _restored = true;
}

/// <summary>Which destinations' consumers have joined their group and been given their partitions (set by each delivery worker).</summary>
internal sealed class ConsumerAssignments
{
    private readonly ConcurrentDictionary<string, int> _assigned = new(StringComparer.Ordinal);

    /// <summary>Called from a consumer's partitions-assigned handler.</summary>
    public void Assigned(string destination, int partitions) => _assigned.AddOrUpdate(destination, partitions, (_, n) => n + partitions);

    public bool HasJoined(string destination) => _assigned.ContainsKey(destination);
}

internal sealed class EvidenceReadinessCheck(EvidenceReadiness evidence, Evidence.KafkaEvidenceRecorder recorder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(evidence.Restored
            ? HealthCheckResult.Healthy($"chain {recorder.Chain} continues at entry {(recorder.Heads.Count == 0 ? 0 : recorder.Heads[0].Seq + 1)}")
            : HealthCheckResult.Unhealthy($"chain {recorder.Chain}: head not restored from {recorder.Topic} yet"));
}

internal sealed class ConsumersReadinessCheck(ConsumerAssignments assignments, IEnumerable<IDeliveryAdapter> adapters) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = adapters.Select(a => a.Destination).Where(d => !assignments.HasJoined(d)).ToList();
        return Task.FromResult(waiting.Count == 0
            ? HealthCheckResult.Healthy("every destination's consumer has its partitions")
            : HealthCheckResult.Unhealthy($"waiting for a partition assignment: {string.Join(", ", waiting)}"));
    }
}
