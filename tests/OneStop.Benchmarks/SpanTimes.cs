using System.Collections.Concurrent;
using System.Diagnostics;

namespace OneStop.Benchmarks;

/// <summary>
/// Where the time goes, from the hub's own spans: listens to every activity source in this process and prints, per
/// span name, how many ended and their mean and p99 duration. Opt in with <c>ONESTOP_BENCH_SPANS=1</c> (listening
/// costs a little CPU, so the ratios of such a run are not the ones to quote).
/// </summary>
internal sealed class SpanTimes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _durations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Threads, long Pending)> _pool = new();
    private readonly Timer _sampler;

    private SpanTimes()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => _durations.GetOrAdd(a.OperationName, _ => []).Add(a.Duration.TotalMilliseconds),
        };
        ActivitySource.AddActivityListener(_listener);
        _sampler = new Timer(_ => _pool.Enqueue((ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount)), null, 100, 100);
    }

    public static SpanTimes? StartIfAsked() => Environment.GetEnvironmentVariable("ONESTOP_BENCH_SPANS") == "1" ? new SpanTimes() : null;

    public void Reset()
    {
        _durations.Clear();
        _pool.Clear();
    }

    public void Print()
    {
        if (!_pool.IsEmpty)
        {
            Console.WriteLine($"thread pool: threads mean {_pool.Average(p => p.Threads):0} max {_pool.Max(p => p.Threads)}, " +
                $"queued work items mean {_pool.Average(p => p.Pending):0} max {_pool.Max(p => p.Pending)} ({_pool.Count} samples)");
        }

        Console.WriteLine("| span | count | mean ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, bag) in _durations.OrderByDescending(kv => kv.Value.Sum()))
        {
            var sorted = bag.Order().ToArray();
            Console.WriteLine($"| {name} | {sorted.Length} | {sorted.Average():0.00} | {sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]:0.00} |");
        }
    }

    public void Dispose()
    {
        _sampler.Dispose();
        _listener.Dispose();
    }
}
