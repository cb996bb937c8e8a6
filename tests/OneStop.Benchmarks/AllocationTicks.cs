using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace OneStop.Benchmarks;

/// <summary>
/// What the process allocates, by type: the runtime reports one allocation in about every 100 KB (its
/// GCAllocationTick event, with the type that crossed the mark), so the counts are proportional to bytes allocated.
/// Opt in with <c>ONESTOP_BENCH_ALLOCATIONS=1</c> (listening costs CPU: the ratios of such a run are not the ones to quote).
/// </summary>
internal sealed class AllocationTicks : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEvent = 10;

    private readonly ConcurrentDictionary<string, (long Ticks, long LargestObject)> _types = new(StringComparer.Ordinal);
    private volatile bool _counting;

    public static AllocationTicks? StartIfAsked() =>
        Environment.GetEnvironmentVariable("ONESTOP_BENCH_ALLOCATIONS") == "1" ? new AllocationTicks { _counting = true } : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_counting || eventData.EventId != AllocationTickEvent || eventData.Payload is not { } payload)
        {
            return;
        }

        var type = eventData.PayloadNames?.IndexOf("TypeName") is int t and >= 0 ? payload[t] as string ?? "?" : "?";
        var size = eventData.PayloadNames?.IndexOf("ObjectSize") is int s and >= 0 ? Convert.ToInt64(payload[s], System.Globalization.CultureInfo.InvariantCulture) : 0;
        _types.AddOrUpdate(type, (1, size), (_, v) => (v.Ticks + 1, Math.Max(v.LargestObject, size)));
    }

    /// <summary>Prints the types that crossed the most marks, with their share, and stops counting.</summary>
    public void Print(string path, int events)
    {
        _counting = false;
        var total = _types.Values.Sum(v => v.Ticks);
        Console.WriteLine($"delivery: {path}: allocation ticks (about 100 KB each) over {events} events: {total}");
        foreach (var (type, (ticks, largest)) in _types.OrderByDescending(kv => kv.Value.Ticks).Take(40))
        {
            Console.WriteLine($"  {100.0 * ticks / total,5:0.0}%  {ticks,6}  largest {largest,8} B  {type}");
        }
    }
}
