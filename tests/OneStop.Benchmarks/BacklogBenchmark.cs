using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// Issue 9's backlog benchmark: the portal fake is down (every call 5xx) while N events are accepted, then comes back.
/// Prints, in one run:
/// <list type="bullet">
/// <item>the baseline: the hub's delivery rate to the portal with the portal up (2,000 events published as fast as
/// the hub takes them, first publish to last side effect);</item>
/// <item>the drain: from the portal's return, the time until the first delivery (retry backoff, bounded by
/// <c>Delivery:MaxBackoff</c>) and the rate from the first to the last side effect of the backlog;</item>
/// <item>with nothing else going on, then during the drain, events for other dossiers published at 20/s: acknowledgement to side effect at EMC,
/// p50 and p99 (a backlog at one destination must not starve the others).</item>
/// </list>
/// Run: <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- backlog [events]</c>. The hub and the embedded
/// Kafka run in this process; the mock keeps 5 MB per partition, so keep events ≤ 10,000.
/// </summary>
internal static class BacklogBenchmark
{
    private const int BaselineEvents = 2000;
    private const double ProbeRate = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        await using var systems = await TestSystems.StartAsync();
        var portal = systems.Destinations.Portal;
        var emc = systems.Destinations.Emc;
        var settings = systems.Settings();
        settings["Security:RateLimit:PermitsPerPeriod"] = "1000000";
        settings["Security:RateLimit:Burst"] = "1000000";
        settings["Logging:LogLevel:Default"] = "Warning";
        await using var hub = HubServer.Start(settings);
        var client = new DossierService.DossierServiceClient(hub.Grpc.WithApiKey());

        await client.PublishEventAsync(DeliveryBenchmark.Proto(-1, "warmup"));
        await Eventually.True(() => portal.SideEffectCount > 0 && emc.SideEffectCount > 0, "the first events at the portal and EMC", TimeSpan.FromMinutes(1));

        // 1. Baseline: the portal up; from the first publish to the last side effect.
        var baselineClock = Stopwatch.StartNew();
        var baselineIds = await PublishAsync(client, 0, BaselineEvents, "base");
        var baselineSeen = await SettleAsync(portal, baselineIds, baselineClock, TimeSpan.FromMinutes(5));
        var baselineRate = baselineSeen.Count / Seconds(baselineSeen.Values.Max());

        // 1b. Other dossiers' events at EMC with nothing else going on: the latency baseline for step 3.
        var quietClock = Stopwatch.StartNew();
        var quietAcks = new ConcurrentDictionary<string, long>();
        Dictionary<string, long> quietSeen;
        using (var stopQuiet = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            // Watched while they are sent: a side effect is timed when it appears, not after the last probe.
            var quietSending = ProbeAsync(client, 300_000, quietAcks, quietClock, stopQuiet.Token);
            quietSeen = await SettleAsync(emc, quietAcks, quietClock, TimeSpan.FromMinutes(2), quietSending);
        }

        var (quietP50, quietP99) = Percentiles(quietSeen, quietAcks);

        // 2. The portal down while the backlog is accepted (EMC keeps delivering them).
        portal.Faults.Status5xx = -1;
        var backlogIds = await PublishAsync(client, 100_000, events, "backlog");
        await Eventually.True(() => CountDelivered(emc, backlogIds) == events, "every backlog event at EMC", TimeSpan.FromMinutes(10));

        // 3. The portal returns; events for other dossiers keep coming at a steady rate and are timed at EMC.
        var drainClock = Stopwatch.StartNew();
        portal.Faults.Status5xx = 0;
        using var stopProbes = new CancellationTokenSource();
        var probeAcks = new ConcurrentDictionary<string, long>();
        var probes = ProbeAsync(client, 200_000, probeAcks, drainClock, stopProbes.Token);
        var probesSettled = SettleAsync(emc, probeAcks, drainClock, TimeSpan.FromMinutes(16), probes);
        var drained = await SettleAsync(portal, backlogIds, drainClock, TimeSpan.FromMinutes(15));
        await stopProbes.CancelAsync();
        await probes;
        var probeSeen = await probesSettled;

        var firstDrained = Seconds(drained.Values.Min());
        var drainRate = drained.Count / Math.Max(Seconds(drained.Values.Max()) - firstDrained, 1e-3);
        var (p50, p99) = Percentiles(probeSeen, probeAcks);

        Console.WriteLine($"backlog benchmark: {events} events accepted while the portal was down, {Environment.ProcessorCount} cores, Delivery:MaxBackoff default");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| baseline: delivery rate to the portal, portal up ({BaselineEvents} events, first publish to last side effect) | {baselineRate:0} events/s |");
        Console.WriteLine($"| drain: portal back to its first delivery (retry backoff) | {firstDrained:0.0} s |");
        Console.WriteLine($"| drain: rate from first to last delivery of the backlog ({drained.Count} of {events}) | {drainRate:0} events/s |");
        Console.WriteLine($"| quiet: other dossiers' events at EMC, ack -> side effect ({quietSeen.Count} at {ProbeRate:0}/s) | p50 {quietP50:0} ms, p99 {quietP99:0} ms |");
        Console.WriteLine($"| during the drain: other dossiers' events at EMC, ack -> side effect ({probeSeen.Count} of {probeAcks.Count} at {ProbeRate:0}/s) | p50 {p50:0} ms, p99 {p99:0} ms |");
        Console.WriteLine($"backlog: drain/baseline rate ratio {drainRate / baselineRate:0.00}");
        Console.WriteLine($"backlog: other destinations during the drain p99 {p99:0} ms (quiet p99 {quietP99:0} ms)");
        return drained.Count == events ? 0 : 1;
    }

    private static (double P50, double P99) Percentiles(Dictionary<string, long> seen, ConcurrentDictionary<string, long> acks)
    {
        var sorted = seen.Select(kv => Seconds(kv.Value - acks[kv.Key]) * 1000).Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]);
    }

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    private static async Task<ConcurrentDictionary<string, long>> PublishAsync(DossierService.DossierServiceClient client, int from, int count, string run)
    {
        var ids = new ConcurrentDictionary<string, long>();
        await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var reply = await client.PublishEventAsync(DeliveryBenchmark.Proto(i, run), cancellationToken: ct);
            ids[reply.EventId] = 0;
        });
        return ids;
    }

    private static async Task ProbeAsync(DossierService.DossierServiceClient client, int first, ConcurrentDictionary<string, long> acks, Stopwatch clock, CancellationToken stop)
    {
        var sends = new List<Task>();
        var start = clock.Elapsed;
        for (var i = 0; i < 10_000 && !stop.IsCancellationRequested; i++)
        {
            var due = start + TimeSpan.FromSeconds(i / ProbeRate);
            if (due > clock.Elapsed)
            {
                try
                {
                    await Task.Delay(due - clock.Elapsed, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var n = first + i;
            sends.Add(Task.Run(async () =>
            {
                var reply = await client.PublishEventAsync(DeliveryBenchmark.Proto(n, "probe"), cancellationToken: CancellationToken.None);
                acks[reply.EventId] = clock.ElapsedTicks;
            }, CancellationToken.None));
        }

        await Task.WhenAll(sends);
    }

    private static Task<Dictionary<string, long>> SettleAsync(
        DestinationMock mock, ConcurrentDictionary<string, long> ids, Stopwatch clock, TimeSpan limit, Task? sending = null) =>
        SideEffectWatch.SettleAsync(mock, ids, clock, limit, TimeSpan.FromMilliseconds(20), sending);

    private static int CountDelivered(DestinationMock mock, ConcurrentDictionary<string, long> ids) =>
        mock.SideEffects.Select(SideEffectWatch.EventId).Where(ids.ContainsKey).Distinct().Count();
}
