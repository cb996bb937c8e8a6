using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>
/// Delivery metrics (published at /metrics): delivered, retried, parked and replayed events per destination, the
/// parked dossiers per destination, and the consumer lag per destination (reported by the transport).
/// </summary>
public sealed class DeliveryMetrics
{
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _replayed;
    private readonly ConcurrentDictionary<string, long> _lag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _parkedDossiers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _lostRecords = new(StringComparer.Ordinal);

    public DeliveryMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Diagnostics.HubMetricNames.Meter);
        _delivered = meter.CreateCounter<long>(Diagnostics.HubMetricNames.Deliveries, "{event}", "Events delivered to a destination");
        _retried = meter.CreateCounter<long>("onestop.delivery.retried", "{attempt}", "Delivery attempts that failed and will be retried");
        _parked = meter.CreateCounter<long>("onestop.delivery.parked", "{event}", "Events parked (refused, or queued behind a refused event)");
        _replayed = meter.CreateCounter<long>("onestop.delivery.replayed", "{event}", "Parked events delivered by a replay");
        meter.CreateObservableGauge(Diagnostics.HubMetricNames.Parked, () => Measure(_parkedDossiers), "{dossier}", "Dossiers parked at a destination");
        meter.CreateObservableGauge(Diagnostics.HubMetricNames.DeliveryLag, () => Measure(_lag), "{record}", "Dossier log records not yet handled by a destination's consumers on this instance");
        meter.CreateObservableGauge("onestop.delivery.log_gap", () => _lostRecords.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("destination", kv.Key))),
            "{gap}", "1 while a destination is stopped because records it had not delivered were removed from the log");
    }

    public void Delivered(string destination, bool replay)
    {
        _delivered.Add(1, Tag(destination));
        if (replay)
        {
            _replayed.Add(1, Tag(destination));
        }
    }

    public void Retried(string destination) => _retried.Add(1, Tag(destination));

    public void Parked(string destination) => _parked.Add(1, Tag(destination));

    /// <summary>Every series of a destination at 0, so dashboards and alerts have one to watch before anything happens.</summary>
    public void Start(string destination)
    {
        var tag = Tag(destination);
        _delivered.Add(0, tag);
        _retried.Add(0, tag);
        _parked.Add(0, tag);
        _replayed.Add(0, tag);
        _parkedDossiers.TryAdd(destination, 0);
        _lag.TryAdd(destination, 0);
    }

    public void SetParkedDossiers(string destination, long count) => _parkedDossiers[destination] = count;

    public void SetLag(string destination, long records) => _lag[destination] = records;

    public void SetLogGap(string destination, bool gap) => _lostRecords[destination] = gap ? 1 : 0;

    private static KeyValuePair<string, object?> Tag(string destination) => new("destination", destination);

    private static IEnumerable<Measurement<long>> Measure(ConcurrentDictionary<string, long> values) =>
        values.Select(kv => new Measurement<long>(kv.Value, Tag(kv.Key)));
}
