using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Adapters;
using OneStop.Hub.Diagnostics;
using OneStop.Hub.Evidence;
using Polly.CircuitBreaker;

namespace OneStop.Hub.Host.Pages.Console;

/// <summary>Readiness, each upstream's circuit breaker, and this instance's evidence chain.</summary>
public sealed class IndexModel(HealthCheckService health, UpstreamBreakerStates breakers, IEvidenceStore evidence) : PageModel
{
    public HealthReport Readiness { get; private set; } = null!;

    public IReadOnlyList<(string Upstream, CircuitState State)> Breakers { get; private set; } = [];

    public IReadOnlyList<EvidenceHead> EvidenceHeads { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Readiness = await health.CheckHealthAsync(c => c.Tags.Contains(HubHealth.Ready), HttpContext.RequestAborted).ConfigureAwait(false);
        Breakers = breakers.Snapshot();
        EvidenceHeads = evidence.Heads;
    }

    public static string Describe(CircuitState state) => state switch
    {
        CircuitState.Closed => "đóng (bình thường)",
        CircuitState.Open => "mở (tạm ngừng gọi)",
        CircuitState.HalfOpen => "nửa mở (đang thử lại)",
        CircuitState.Isolated => "cô lập",
        _ => state.ToString(),
    };
}
