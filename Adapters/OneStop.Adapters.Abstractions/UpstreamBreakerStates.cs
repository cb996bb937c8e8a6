using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace OneStop.Adapters;

/// <summary>
/// The circuit breaker of every upstream, as an operator sees it: the gauge <c>onestop.upstream.breaker.state</c>
/// (0 closed, 1 open, 2 half-open, 3 isolated; tag <c>upstream</c>) and <see cref="Snapshot"/> for the console.
/// </summary>
public sealed class UpstreamBreakerStates
{
    public const string GaugeName = "onestop.upstream.breaker.state";

    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _breakers = new(StringComparer.Ordinal);

    public UpstreamBreakerStates(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create("OneStop.Hub").CreateObservableGauge(GaugeName, Observe,
            description: "Circuit breaker state per upstream: 0 closed, 1 open, 2 half-open, 3 isolated");
    }

    /// <summary>The state provider to give the breaker of <paramref name="upstream"/>'s pipeline (the latest pipeline wins).</summary>
    public CircuitBreakerStateProvider For(string upstream)
    {
        var provider = new CircuitBreakerStateProvider();
        _breakers[upstream] = provider;
        return provider;
    }

    /// <summary>Every upstream whose pipeline was built, with its breaker state now.</summary>
    public IReadOnlyList<(string Upstream, CircuitState State)> Snapshot() =>
        [.. _breakers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, b.Value.CircuitState))];

    private IEnumerable<Measurement<int>> Observe() =>
        Snapshot().Select(b => new Measurement<int>((int)b.State, new KeyValuePair<string, object?>("upstream", b.Upstream)));
}
