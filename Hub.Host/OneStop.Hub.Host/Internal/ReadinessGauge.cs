using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Hub.Diagnostics;

namespace OneStop.Hub.Host.Internal;

/// <summary>
/// Readiness as a metric, for the "not ready" alert: the health-check publisher runs the readiness checks every
/// 10 s and the gauge <c>onestop.ready</c> reports the last result (0 until the first check has run).
/// </summary>
internal sealed class ReadinessGauge : IHealthCheckPublisher
{
    private volatile HealthReport? _last;

    public ReadinessGauge(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create(HubMetricNames.Meter).CreateObservableGauge(HubMetricNames.Ready,
            () => _last is { Status: HealthStatus.Healthy } ? 1 : 0, description: "1 when every readiness check passed at the last check, else 0");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _last = report;
        return Task.CompletedTask;
    }
}
