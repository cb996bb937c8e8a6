namespace OneStop.Hub.Diagnostics;

/// <summary>
/// Every metric the hub's dashboards and alerts (deploy/grafana, deploy/prometheus) query, in one place. Instruments
/// live on the meter <see cref="Meter"/>; /metrics (prometheus-net's meter adapter) exports an instrument as
/// <c>{meter}_{instrument}</c> with dots as underscores, e.g. <c>onestop.lookups</c> as <c>onestop_hub_onestop_lookups</c>,
/// and a histogram as <c>…_bucket</c>, <c>…_sum</c> and <c>…_count</c>.
/// </summary>
public static class HubMetricNames
{
    public const string Meter = "OneStop.Hub";

    /// <summary>Counter: lookups answered; tags operation, upstream, outcome.</summary>
    public const string Lookups = "onestop.lookups";

    /// <summary>Counter: every exchange recorded (lookups, publishes, admin calls, refusals); tags operation, outcome (<see cref="Evidence.ExchangeOutcome"/>).</summary>
    public const string Exchanges = "onestop.exchanges";

    /// <summary>Histogram (s): lookup time including the upstream call; tags operation, upstream, outcome.</summary>
    public const string LookupDuration = "onestop.lookup.duration";

    /// <summary>Counter: evidence entries Kafka acknowledged.</summary>
    public const string EvidenceWritten = "onestop.evidence.written";

    /// <summary>Counter: evidence entries Kafka did not take (gaps in the chain).</summary>
    public const string EvidenceFailed = "onestop.evidence.failed";

    /// <summary>Gauge: circuit breaker state per upstream (0 closed, 1 open, 2 half-open, 3 isolated); tag upstream.</summary>
    public const string BreakerState = "onestop.upstream.breaker.state";

    /// <summary>Counter: mapping folder reloads; tag outcome (swapped, refused, unchanged).</summary>
    public const string MappingReloads = "onestop.mappings.reloads";

    /// <summary>Gauge: 1 when every readiness check passed at the last check (every 10 s), else 0 (also before the first check).</summary>
    public const string Ready = "onestop.ready";

    /// <summary>Counter (issue 9's delivery engine): delivery outcomes; tags destination, outcome (delivered, retried, parked, replayed).</summary>
    public const string Deliveries = "onestop.delivery.delivered";

    /// <summary>Gauge (issue 9's delivery engine): dossiers parked; tag destination.</summary>
    public const string Parked = "onestop.delivery.parked_dossiers";

    /// <summary>Gauge (issue 9's delivery engine): dossier events not yet processed by a destination's consumer group; tag destination.</summary>
    public const string DeliveryLag = "onestop.delivery.lag";

    /// <summary>The name /metrics gives an instrument of <see cref="Meter"/>.</summary>
    public static string Prometheus(string instrument)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrument);
        return "onestop_hub_" + instrument.Replace('.', '_');
    }
}
