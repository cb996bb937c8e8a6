using OneStop.Adapters;
using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub.Inbound;

/// <summary>Inbound dossiers from the national portal, bound from <c>Inbound</c>.</summary>
public sealed class InboundOptions
{
    /// <summary>Receiving agencies (DonViXuLy codes) the hub pulls for; one scheduled job each. Empty: no pull.</summary>
    public List<string> Agencies { get; set; } = [];

    /// <summary>How often each agency's pull job runs.</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Days before today the first pull of an agency (no cursor yet) looks back.</summary>
    [Range(0, 60)]
    public int InitialLookbackDays { get; set; } = 3;

    /// <summary>Days before its cursor each pull starts again (dossiers the portal lists late); seen ones are skipped by MaHoSo.</summary>
    [Range(0, 30)]
    public int OverlapDays { get; set; } = 1;

    /// <summary>First pause after a failed pull; doubled (with jitter) per further failure up to <see cref="MaxBackoff"/>.</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    [TimeSpanRange("00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the postal operator's tracking feed is polled (one instance at a time).</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan PostalTrackingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Folder of the demo attachment store (files stored once, by SHA-256). Production: an S3-compatible store.</summary>
    [Required]
    public string AttachmentsPath { get; set; } = "data/attachments";

    /// <summary>Most unacknowledged messages a subscriber holds at once.</summary>
    [Range(1, 10_000)]
    public int SubscribeWindow { get; set; } = 200;

    /// <summary>Most dossiers one push may carry.</summary>
    [Range(1, 10_000)]
    public int MaxPushItems { get; set; } = 500;
}
