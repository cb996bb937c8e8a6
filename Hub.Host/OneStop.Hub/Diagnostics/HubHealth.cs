using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Adapters;

namespace OneStop.Hub.Diagnostics;

/// <summary>
/// Liveness and readiness. <c>/health/live</c> runs no check: it answers while the process serves. <c>/health/ready</c>
/// and the gRPC health service run every check tagged <see cref="Ready"/>; a module adds one with
/// <c>services.AddHealthChecks().AddCheck&lt;T&gt;("name", tags: [HubHealth.Ready])</c>.
/// </summary>
public static class HubHealth
{
    /// <summary>The tag of the checks that decide whether this instance should receive traffic.</summary>
    public const string Ready = "ready";
}

/// <summary>Ready when a mapping catalog serves (the hub refuses to start without one, so this reports what serves).</summary>
public sealed class MappingsReadinessCheck(IMappingSource mappings) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var catalog = mappings.Current;
        return Task.FromResult(catalog.All.Count > 0
            ? HealthCheckResult.Healthy($"{catalog.All.Count} mappings, {catalog.Upstreams.Count} upstream definitions loaded")
            : HealthCheckResult.Unhealthy("no mapping is loaded"));
    }
}
