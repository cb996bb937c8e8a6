using OneStop.Adapters;
using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub.Mappings;

/// <summary>
/// The shadow window (<c>Mappings:Shadow:*</c>): per mapping, the recent inputs a candidate folder is replayed against
/// before it goes live. Kept in memory only, encrypted with a key made at start, never logged or written anywhere, and
/// gone on restart. An input leaves when it is older than <see cref="MaxAge"/> or when <see cref="MaxInputs"/> newer
/// inputs of its mapping came after it.
/// </summary>
public sealed class ShadowOptions
{
    /// <summary>How many recent inputs each mapping keeps; 0 keeps none (no shadow runs).</summary>
    [Range(0, 100_000)]
    public int MaxInputs { get; set; } = 1_000;

    /// <summary>How long an input stays in the window.</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Inputs larger than this (as JSON) are not kept, so one mapping's window stays under <c>MaxInputs × MaxInputBytes</c>.</summary>
    [Range(1_024, 4 * 1024 * 1024)]
    public int MaxInputBytes { get; set; } = 256 * 1024;
}
