using System.Globalization;

namespace OneStop.Benchmarks;

/// <summary>
/// CPU time of a process and of its tiered-compilation thread, from <c>/proc</c>, and a warm-up that lasts until that
/// thread is quiet. A benchmark measures a long-running hub: after a fresh start the runtime keeps compiling hot
/// methods again (tier-1, then PGO-instrumented and re-optimised code) for tens of seconds and thousands of calls,
/// taking a core of a two-core machine and running the hot paths in slower code meanwhile.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>
    /// Runs <paramref name="round"/> (given its number) until one leaves the JIT thread of process <paramref name="pid"/>
    /// under 20 ms of CPU, at most <paramref name="rounds"/> rounds and <paramref name="max"/>; returns the JIT thread's
    /// CPU seconds so far.
    /// </summary>
    public static Task<double> WarmUntilJitQuietAsync(int pid, Func<int, Task> round, int rounds, TimeSpan max) =>
        WarmUntilQuietAsync(() => JitSeconds(pid), round, rounds, max);

    /// <summary>
    /// As <see cref="WarmUntilJitQuietAsync(int, Func{int, Task}, int, TimeSpan)"/> for code in this process, by the
    /// runtime's own count of time spent compiling on any thread: the background compiler thread alone misses tier-0
    /// compiles (they run on the calling thread) and loses its count when the runtime ends it after a quiet spell.
    /// </summary>
    public static Task<double> WarmUntilJitQuietAsync(Func<int, Task> round, int rounds, TimeSpan max) =>
        WarmUntilQuietAsync(() => System.Runtime.JitInfo.GetCompilationTime().TotalSeconds, round, rounds, max);

    private static async Task<double> WarmUntilQuietAsync(Func<double> compilingSeconds, Func<int, Task> round, int rounds, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(round);
        var deadline = DateTime.UtcNow + max;
        var before = compilingSeconds();
        for (var r = 0; r < rounds && DateTime.UtcNow < deadline; r++)
        {
            await round(r);
            var now = compilingSeconds();
            if (now >= before && now - before < 0.02)
            {
                return now;
            }

            before = now;
        }

        return before;
    }

    /// <summary>CPU seconds of the process's tiered-compilation thread (named ".NET Tiered Com…" in /proc).</summary>
    public static double JitSeconds(int pid)
    {
        var total = 0.0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    total += TicksToSeconds(File.ReadAllText(Path.Combine(task, "stat")));
                }
            }
            catch (IOException)
            {
                // the thread ended between listing and reading
            }
        }

        return total;
    }

    /// <summary>User + system CPU seconds of the whole process so far.</summary>
    public static double Seconds(int pid) => TicksToSeconds(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>User + system CPU time of a process or thread so far (/proc/…/stat fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double TicksToSeconds(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
