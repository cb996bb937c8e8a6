using OneStop.Adapters;
using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>How the hub retries and parks deliveries of dossier events: bound from <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>First wait after a failed delivery; later waits double, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Refusals (the destination rejects the event or answers garbage) before the dossier is parked.</summary>
    [Range(1, 100)]
    public int RefusalsBeforePark { get; set; } = 3;

    /// <summary>
    /// A transient failure (destination down) never parks a dossier by itself: the hub waits for the destination.
    /// Only when one event keeps failing transiently this long is its dossier parked, so one stuck dossier cannot
    /// hold its partition for ever.
    /// </summary>
    [TimeSpanRange("00:00:01", "7.00:00:00")]
    public TimeSpan ParkAfterTransientFor { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Deliveries in flight at once per destination on one instance, each for a different dossier (one dossier's
    /// events always go one at a time, in order). A dossier that waits for a retry holds one slot, never the others.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 32;
}
