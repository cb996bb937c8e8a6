using System.Diagnostics;

namespace OneStop.Benchmarks;

internal static class Waits
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="poll"/> until it holds; throws after <paramref name="limit"/>.</summary>
    public static async Task ForAsync(Func<bool> condition, TimeSpan limit, TimeSpan poll)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"not within {limit}");
            }

            await Task.Delay(poll);
        }
    }
}
