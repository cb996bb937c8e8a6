using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// Issue 4's benchmark: events per second from ingest (gRPC PublishEvent, acknowledged after Kafka acks=all) to
/// the side effect at the EMC fake, with p50/p99 latency, beside the same number of direct HTTP calls to the same
/// fake (same body, same token, same concurrency) in the same run, one run of each in turn, and the floor
/// (<see cref="DeliveryFloor"/>: publish acknowledged after Kafka, delivered from the log, nothing else; and again with
/// the hub's other Kafka records and readers, so the gap between that floor and the hub is the hub's own processing).
/// Prints them and their ratios.
/// Not a test: run it with <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- delivery [events] [concurrency] [KEY=VALUE hub setting …]</c>.
/// </summary>
internal static class DeliveryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.Skip(1).Where(a => !a.Contains('=', StringComparison.Ordinal)).ToArray();
        var events = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 2000;
        var concurrency = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 16;
        var hubSettings = args.Skip(1).Where(a => a.Contains('=', StringComparison.Ordinal))
            .Select(a => a.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1], StringComparer.Ordinal);
        await using var systems = await TestSystems.StartAsync();
        var fakes = systems.Destinations;

        // Both paths are warmed up first (JIT, connections, consumer groups) with a batch like the measured one, then in
        // rounds until the JIT thread is quiet, so the numbers are a long-running hub's, not a fresh process's. The
        // warm-up events create the dossiers (one event each) that the measured events then update, on both paths.
        // Each path is then measured three times and the median run counts: the hub still got faster from one run to
        // the next after its JIT thread was quiet (367, 433, 481 events/s in one process). The direct path is measured
        // only once the hub is warm, its runs taking turns with the hub's: measured at the start of the process, as it
        // was until the tenth pass, its shared code (Kestrel, HttpClient, the fakes) still ran partly in the runtime's
        // instrumented tiers, and the same calls cost three times the CPU they cost after the hub's warm-up (1.1 against
        // 0.33 ms per event in one process). The floors come last, for the same reason.
        using var sender = await DirectSender.CreateAsync(fakes);
        var warmup = events;
        await DirectAsync(sender, events, concurrency, "warm", withPortal: true, portalKnowsDossiers: false);
        var directJit = await ProcessCpu.WarmUntilJitQuietAsync(
            r => DirectAsync(sender, JitRound, concurrency, $"jit{r}", withPortal: true, portalKnowsDossiers: true), 10, TimeSpan.FromMinutes(1));
        Console.WriteLine($"delivery: direct path warmed up; this process has spent {directJit:0.0} s compiling; {ThreadPool.ThreadCount} thread-pool threads");
        fakes.Emc.Reset();
        fakes.Portal.Reset();
        var (direct, emcOnly, hub, paced, pacedOwn) = await ThroughHubAsync(systems, sender, hubSettings, events, warmup, concurrency);
        var floor = await FloorAsync(sender, fakes, events, concurrency, hubTraffic: false);
        var trafficFloor = await FloorAsync(sender, fakes, events, concurrency, hubTraffic: true);

        Console.WriteLine($"delivery benchmark: {events} events, concurrency {concurrency}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| path | events/s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| direct HTTP to the EMC fake only | {emcOnly.PerSecond:0} | {emcOnly.P50:0.0} | {emcOnly.P99:0.0} |");
        Console.WriteLine($"| direct HTTP, the same side effects as the hub (EMC + portal DongBoHoSoMC) | {direct.PerSecond:0} | {direct.P50:0.0} | {direct.P99:0.0} |");
        Console.WriteLine($"| floor: publish acknowledged after Kafka, delivered from the log, nothing else (publish -> side effect) | {floor.PerSecond:0} | {floor.P50:0.0} | {floor.P99:0.0} |");
        Console.WriteLine($"| floor with the hub's Kafka traffic: the index, evidence and delivery-state records and their readers, nothing else (publish -> side effect) | {trafficFloor.PerSecond:0} | {trafficFloor.P50:0.0} | {trafficFloor.P99:0.0} |");
        Console.WriteLine($"| through the hub, as fast as it takes them (publish -> side effect) | {hub.PerSecond:0} | {hub.P50:0.0} | {hub.P99:0.0} |");
        Console.WriteLine($"| through the hub at half the direct rate ({direct.PerSecond / 2:0}/s; acknowledgement -> side effect) | {paced.PerSecond:0} | {paced.P50:0.0} | {paced.P99:0.0} |");
        Console.WriteLine($"| through the hub at half its own full speed ({hub.PerSecond / 2:0}/s; acknowledgement -> side effect) | {pacedOwn.PerSecond:0} | {pacedOwn.P50:0.0} | {pacedOwn.P99:0.0} |");
        Console.WriteLine($"delivery: at half the hub's own full speed, acknowledgement to side effect p50 {pacedOwn.P50:0.0} ms, p99 {pacedOwn.P99:0.0} ms");
        Console.WriteLine($"delivery: at half the direct rate, acknowledgement to side effect p50 {paced.P50:0.0} ms, p99 {paced.P99:0.0} ms");
        Console.WriteLine($"delivery: CPU per event (this process: hub, fakes, callers): direct {direct.CpuMsPerEvent:0.00} ms, EMC only {emcOnly.CpuMsPerEvent:0.00} ms, through the hub {hub.CpuMsPerEvent:0.00} ms, through the hub at half the direct rate {paced.CpuMsPerEvent:0.00} ms");
        Console.WriteLine($"delivery: floor/direct throughput ratio {floor.PerSecond / direct.PerSecond:0.00} (CPU {floor.CpuMsPerEvent:0.00} ms/event); hub/floor {hub.PerSecond / floor.PerSecond:0.00}");
        Console.WriteLine($"delivery: floor with the hub's Kafka traffic/direct throughput ratio {trafficFloor.PerSecond / direct.PerSecond:0.00} (CPU {trafficFloor.CpuMsPerEvent:0.00} ms/event); hub/that floor {hub.PerSecond / trafficFloor.PerSecond:0.00}");
        Console.WriteLine($"delivery: hub/direct-to-EMC-only throughput ratio {hub.PerSecond / emcOnly.PerSecond:0.00}");
        Console.WriteLine($"delivery: hub/direct throughput ratio {hub.PerSecond / direct.PerSecond:0.00}");
        return 0;
    }

    /// <summary>
    /// Measures <see cref="Runs"/> times, prints every run with the time this process spent compiling during it (a run
    /// that compiles much measured code that was not warm yet) and what it allocated and collected per event, and
    /// returns the run with the median rate.
    /// </summary>
    private static async Task<Result> MedianAsync(string path, int events, Func<int, Task<Result>> measure)
    {
        var runs = new PathRuns(path, events);
        for (var run = 0; run < Runs; run++)
        {
            await runs.MeasureAsync(() => measure(run));
        }

        return runs.PrintAndMedian();
    }

    /// <summary>
    /// Measures two paths <see cref="Runs"/> times each, one run of each in turn (a, b, a, b, …), so that both see the
    /// same machine: on these shared two-core machines one path's speed wanders by a quarter within minutes, and the
    /// ratio of two paths measured minutes apart wandered with it. Returns each path's median run.
    /// </summary>
    private static async Task<(Result A, Result B)> AlternatingAsync(
        string pathA, Func<int, Task<Result>> measureA, string pathB, Func<int, Task<Result>> measureB, int events)
    {
        var (a, b) = (new PathRuns(pathA, events), new PathRuns(pathB, events));
        for (var run = 0; run < Runs; run++)
        {
            await QuietAsync();
            await a.MeasureAsync(() => measureA(run));
            await QuietAsync();
            await b.MeasureAsync(() => measureB(run));
        }

        var (ra, rb) = (a.PrintAndMedian(), b.PrintAndMedian());
        Console.WriteLine($"delivery: {pathB}/{pathA}, run by run: {string.Join(" / ", a.Results.Zip(b.Results, (x, y) => $"{y.PerSecond / x.PerSecond:0.00}"))}");
        return (ra, rb);
    }

    /// <summary>
    /// Waits until this process uses under a fifth of a core over a quarter second (at most 10 s; the idle hub alone
    /// uses about a twentieth of the machine): a hub run's trailing work (the postal and index groups, the state
    /// tables' readers, background compiles) must not run into the next run of the other path.
    /// </summary>
    private static async Task QuietAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && await CpuPerSecondAsync(TimeSpan.FromMilliseconds(250)) >= 200)
        {
            // each check itself waits a quarter second
        }
    }

    /// <summary>Milliseconds of CPU this process uses per second, over <paramref name="window"/> from now.</summary>
    private static async Task<double> CpuPerSecondAsync(TimeSpan window)
    {
        var (cpu, clock) = (Cpu(), Stopwatch.StartNew());
        await Task.Delay(window);
        return (Cpu() - cpu).TotalMilliseconds / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One path's measured runs: each with its result, the time this process spent compiling and what it allocated.</summary>
    private sealed class PathRuns(string path, int events)
    {
        private readonly List<double> _jit = [];
        private readonly List<string> _gc = [];

        public List<Result> Results { get; } = [];

        public async Task MeasureAsync(Func<Task<Result>> measure)
        {
            var compiling = System.Runtime.JitInfo.GetCompilationTime();
            var (allocated, paused, gen0, gen2) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
            Results.Add(await measure());
            _jit.Add((System.Runtime.JitInfo.GetCompilationTime() - compiling).TotalMilliseconds);
            _gc.Add($"{(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / events:0} KB/event, "
                + $"{GC.CollectionCount(0) - gen0} GCs ({GC.CollectionCount(2) - gen2} full), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms");
        }

        public Result PrintAndMedian()
        {
            Console.WriteLine($"delivery: {path}: {string.Join(" / ", Results.Select(r => $"{r.PerSecond:0}"))} events/s, "
                + $"CPU {string.Join(" / ", Results.Select(r => $"{r.CpuMsPerEvent:0.00}"))} ms/event, "
                + $"compiling {string.Join(" / ", _jit.Select(ms => $"{ms:0}"))} ms (the median run counts)");
            Console.WriteLine($"delivery: {path}: allocated (the whole process) {string.Join(" / ", _gc)}");
            return Results.OrderBy(r => r.PerSecond).ElementAt(Results.Count / 2);
        }
    }

    /// <summary>Measured runs per path (odd: the median is one of them).</summary>
    private const int Runs = 3;

    /// <summary>Events per warm-up round after the first batch: rounds go on until one leaves the JIT thread quiet (at most 10).</summary>
    private const int JitRound = 500;

    private sealed record Result(double PerSecond, double P50, double P99)
    {
        /// <summary>This process's CPU time (hub, fakes and callers together) per event: steadier than rates on a shared machine.</summary>
        public double CpuMsPerEvent { get; init; }
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>
    /// The baseline: the requests the adapters send, sent straight to the fakes by <paramref name="concurrency"/>
    /// callers. EMC only (the issue's first baseline), or the same side effects the hub makes of each event: the
    /// EMC tracking call and the portal's <c>DongBoHoSoMC</c>, concurrently (a caller that created the dossier
    /// before knows it exists, as the hub does from its checkpoint, so neither asks <c>TraCuuHoSo</c>).
    /// </summary>
    private static async Task<Result> DirectAsync(DirectSender sender, int events, int concurrency, string run, bool withPortal, bool portalKnowsDossiers)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var cpu = Cpu();
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events)
            {
                var sw = Stopwatch.StartNew();
                var e = Proto(i, run);
                await sender.SendAsync(DirectSender.Canonical(e), e.ClientEventId, withPortal, portalKnowsDossiers);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }
        })));
        total.Stop();
        return Summarise(events / total.Elapsed.TotalSeconds, latencies) with { CpuMsPerEvent = (Cpu() - cpu).TotalMilliseconds / events };
    }

    /// <summary>
    /// The floor (<see cref="DeliveryFloor"/>): publish acknowledged once Kafka holds the event, then the direct path's
    /// sends from the log; with <paramref name="hubTraffic"/>, also the hub's other Kafka records and readers. Warmed
    /// up and measured as the hub is, on a mock cluster of its own.
    /// </summary>
    private static async Task<Result> FloorAsync(DirectSender sender, DestinationMocks fakes, int events, int concurrency, bool hubTraffic)
    {
        var emc = fakes.Emc;
        var name = hubTraffic ? "traffic floor" : "floor";
        await using var floor = await DeliveryFloor.StartAsync(sender, FloorDeliveries, hubTraffic);
        var before = emc.SideEffectCount;
        await floor.Client.PublishEventAsync(Proto(0, $"{name}first")); // waits for the consumer groups to form
        await Eventually.True(() => emc.SideEffectCount > before, $"the {name}'s first event at EMC", TimeSpan.FromMinutes(1));

        // The same warm-up batch as the hub's, so its topics hold as much history when measured: the mock broker's
        // fetches cost in proportion to what a partition holds (it searches each partition's list from the oldest set).
        var (emcBefore, portalBefore) = (emc.SideEffectCount, fakes.Portal.SideEffectCount);
        await PublishAllAsync(floor.Client, events, concurrency, $"{name}warm", new Stopwatch(), new ConcurrentDictionary<string, long>());
        await Eventually.True(() => emc.SideEffectCount >= emcBefore + events && fakes.Portal.SideEffectCount >= portalBefore + events,
            $"the {name}'s warm-up events at EMC and the portal", TimeSpan.FromMinutes(5));
        await WarmUntilJitQuietAsync(name, floor.Client, fakes, concurrency);
        var path = hubTraffic
            ? "floor with the hub's Kafka traffic: the index, evidence and delivery-state records and their readers, nothing else"
            : "floor: publish acknowledged after Kafka, delivered from the log, nothing else";
        using var allocations = AllocationTicks.StartIfAsked();
        var result = await FullSpeedAsync(path, hubTraffic ? "traffic" : "floor", floor.Client, fakes, events, concurrency);
        allocations?.Print($"the {name}", events * Runs);
        if (floor.Failures > 0)
        {
            Console.WriteLine($"warning: {floor.Failures} of the {name}'s deliveries failed");
        }

        return result;
    }

    /// <summary>Events the floor delivers at once: the hub's default <c>Delivery:MaxConcurrency</c> per destination.</summary>
    private const int FloorDeliveries = 32;

    /// <summary>
    /// Starts and warms up the hub, then measures it at full speed and the direct path with the same side effects in
    /// turn (<see cref="AlternatingAsync"/>), the direct path to EMC only, and the hub at half the direct path's rate
    /// and at half its own. The hub stands idle while the direct path runs: what that costs is measured first and printed.
    /// </summary>
    private static async Task<(Result Direct, Result EmcOnly, Result Full, Result Paced, Result PacedOwn)> ThroughHubAsync(
        TestSystems systems, DirectSender sender, Dictionary<string, string?> hubSettings, int events, int warmup, int concurrency)
    {
        var emc = systems.Destinations.Emc;
        var portal = systems.Destinations.Portal;
        var settings = systems.Settings();
        settings["Security:RateLimit:PermitsPerPeriod"] = "1000000"; // measure the hub, not the per-client limit
        settings["Security:RateLimit:Burst"] = "1000000";
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in hubSettings)
        {
            settings[key] = value; // an experiment's hub settings, e.g. Delivery:MaxConcurrency=64
        }
        await using var hub = HubServer.Start(settings);
        var client = new DossierService.DossierServiceClient(hub.Grpc.WithApiKey());

        // Warm up: the first event waits for the consumer groups to form; then a batch like the measured one.
        await client.PublishEventAsync(Proto(-1, "warmup"));
        while (emc.SideEffectCount == 0)
        {
            await Task.Delay(50);
        }

        await PublishAllAsync(client, warmup, concurrency, "warm", new Stopwatch(), new ConcurrentDictionary<string, long>());
        await Eventually.True(() => emc.SideEffectCount >= warmup + 1 && portal.SideEffectCount >= warmup + 1, "the warm-up events at EMC and the portal", TimeSpan.FromMinutes(5));

        // Then until the JIT thread is quiet: after one batch like the measured one it still took 14 % of the
        // process's CPU while the hub was measured, and hot paths ran in instrumented, not yet optimised code.
        await WarmUntilJitQuietAsync("hub", client, systems.Destinations, concurrency);
        using var spans = SpanTimes.StartIfAsked();
        using var allocations = AllocationTicks.StartIfAsked();

        // What the idle hub costs (its consumers' empty fetches, timers) while the direct path runs beside it.
        await QuietAsync();
        Console.WriteLine($"delivery: the hub idle: this process used {await CpuPerSecondAsync(TimeSpan.FromSeconds(3)):0} ms of CPU per second (of {Environment.ProcessorCount * 1000})");

        // 1. Throughput: publishers as fast as the hub acknowledges; from the first publish to the last side effect;
        // each run beside one of the direct path with the same side effects.
        var fakes = systems.Destinations;
        var (direct, full) = await AlternatingAsync(
            "direct HTTP, the same side effects", run => DirectAsync(sender, events, concurrency, $"direct{run}", withPortal: true, portalKnowsDossiers: true),
            "through the hub, as fast as it takes them", run => HubRunAsync("hub", client, fakes, events, concurrency, run),
            events);
        spans?.Print();
        allocations?.Print("the hub and the direct path", events * Runs * 2);
        var emcOnly = await MedianAsync("direct HTTP to the EMC fake only", events,
            run => DirectAsync(sender, events, concurrency, $"emc{run}", withPortal: false, portalKnowsDossiers: true));

        // 2. Latency at half the hub's own full speed and at half the direct rate: events published on a fixed schedule
        // (open loop), measured from the acknowledgement to the side effect.
        var pacedOwn = await PacedAsync(client, fakes, Math.Min(events, 1000), full.PerSecond / 2, "pacedown");
        var paced = await PacedAsync(client, fakes, Math.Min(events, 1000), direct.PerSecond / 2, "paced");
        return (direct, emcOnly, full, paced, pacedOwn);
    }

    /// <summary><paramref name="count"/> events published at <paramref name="rate"/> per second; acknowledgement to side effect at EMC.</summary>
    private static async Task<Result> PacedAsync(DossierService.DossierServiceClient client, DestinationMocks fakes, int count, double rate, string run)
    {
        var acked = new ConcurrentDictionary<string, long>();
        var portalBefore = fakes.Portal.SideEffectCount;
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        var sending = PublishPacedAsync(client, count, rate, clock, acked, run);
        var paced = await SettleAsync(fakes.Emc, acked, clock, count, sending); // watched while sending, not after it
        await Eventually.True(() => fakes.Portal.SideEffectCount >= portalBefore + count, $"the {run} events at the portal", TimeSpan.FromMinutes(5));
        return paced with { CpuMsPerEvent = (Cpu() - cpu).TotalMilliseconds / count };
    }

    /// <summary>
    /// Rounds of <see cref="JitRound"/> events through <paramref name="client"/>, each until EMC and the portal have
    /// them, until a round leaves this process compiling for under 20 ms (at most 10 rounds and a minute).
    /// </summary>
    private static async Task WarmUntilJitQuietAsync(string name, DossierService.DossierServiceClient client, DestinationMocks fakes, int concurrency)
    {
        var (emc, portal) = (fakes.Emc, fakes.Portal);
        var jit = await ProcessCpu.WarmUntilJitQuietAsync(async r =>
        {
            var (emcBefore, portalBefore) = (emc.SideEffectCount, portal.SideEffectCount);
            await PublishAllAsync(client, JitRound, concurrency, $"{name}jit{r}", new Stopwatch(), new ConcurrentDictionary<string, long>());
            await Eventually.True(() => emc.SideEffectCount >= emcBefore + JitRound && portal.SideEffectCount >= portalBefore + JitRound,
                $"a {name} warm-up round at EMC and the portal", TimeSpan.FromMinutes(2));
        }, 10, TimeSpan.FromMinutes(1));
        Console.WriteLine($"delivery: {name} warmed up; this process has spent {jit:0.0} s compiling; {ThreadPool.ThreadCount} thread-pool threads");
    }

    /// <summary>
    /// Throughput, <see cref="Runs"/> times (the median counts): publishers as fast as <paramref name="client"/>
    /// acknowledges; from the first publish to the last side effect at EMC, then until the portal has them all too.
    /// </summary>
    private static Task<Result> FullSpeedAsync(string path, string name, DossierService.DossierServiceClient client, DestinationMocks fakes, int events, int concurrency) =>
        MedianAsync(path, events, run => HubRunAsync(name, client, fakes, events, concurrency, run));

    /// <summary>One full-speed run: publishers as fast as <paramref name="client"/> acknowledges, until EMC and the portal have every event.</summary>
    private static async Task<Result> HubRunAsync(string name, DossierService.DossierServiceClient client, DestinationMocks fakes, int events, int concurrency, int run)
    {
        var (emc, portal) = (fakes.Emc, fakes.Portal);
        emc.Reset(); // the portal keeps its dossiers (created by the warm-up): the measured events update them
        var portalBefore = portal.SideEffectCount;
        var started = new ConcurrentDictionary<string, long>();
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        var publishing = PublishAllAsync(client, events, concurrency, $"{name}{run}", clock, started);
        var result = await SettleAsync(emc, started, clock, events, publishing);
        await Eventually.True(() => portal.SideEffectCount >= portalBefore + events, $"the {name}'s measured events at the portal", TimeSpan.FromMinutes(5)); // the CPU of both destinations' deliveries
        return result with { CpuMsPerEvent = (Cpu() - cpu).TotalMilliseconds / events };
    }

    /// <summary>Publishes <paramref name="count"/> events on a fixed schedule of <paramref name="rate"/> per second (open loop); notes when each was acknowledged.</summary>
    private static async Task PublishPacedAsync(
        DossierService.DossierServiceClient client, int count, double rate, Stopwatch clock, ConcurrentDictionary<string, long> acked, string run)
    {
        var sends = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var n = i;
            sends.Add(Task.Run(async () =>
            {
                var reply = await client.PublishEventAsync(Proto(n, run));
                acked[reply.EventId] = clock.ElapsedTicks;
            }));
        }

        await Task.WhenAll(sends);
    }

    /// <summary>Publishes <paramref name="events"/> events from <paramref name="concurrency"/> callers as fast as the hub answers; notes when each was sent.</summary>
    private static Task PublishAllAsync(
        DossierService.DossierServiceClient client, int events, int concurrency, string run, Stopwatch clock, ConcurrentDictionary<string, long> started)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events)
            {
                var at = clock.ElapsedTicks;
                var reply = await client.PublishEventAsync(Proto(i, run));
                started[reply.EventId] = at;
            }
        })));
    }

    /// <summary>Watches the fake until every event has its side effect; latency from the given start of each.</summary>
    private static async Task<Result> SettleAsync(EmcMock emc, ConcurrentDictionary<string, long> started, Stopwatch clock, int events, Task sending)
    {
        var seen = await SideEffectWatch.SettleAsync(emc, started, clock, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(2), sending);
        if (seen.Count < events)
        {
            Console.WriteLine($"warning: {events - seen.Count} of {events} events had no side effect at EMC within 5 minutes");
        }

        var first = started.Values.Min();
        var elapsed = (seen.Values.Max() - first) / (double)Stopwatch.Frequency;
        var latencies = seen.Select(kv => (kv.Value - started[kv.Key]) * 1000.0 / Stopwatch.Frequency);
        return Summarise(seen.Count / elapsed, latencies);
    }


    private static Result Summarise(double perSecond, IEnumerable<double> latencies)
    {
        var sorted = latencies.Order().ToArray();
        return new Result(perSecond, sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]);
    }

    /// <summary>A fake's bearer token for the demo client (client credentials), as the adapters get it.</summary>
    internal static async Task<string> TokenAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MockServer.DemoClientId}:{MockServer.DemoClientSecret}")));
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    internal static OneStop.Grpc.V1.DossierEvent Proto(int i, string run) => new()
    {
        ClientEventId = $"{run}-{i}",
        MaHoSo = $"H56.{(i + 1) / 10000 + 10}-261126-{(i + 1) % 10000:0000}",
        MaTthc = "1.001234.000.00.00.H56",
        TenTthc = "Đăng ký khai sinh",
        TrangThaiHoSo = 2,
        NgayTiepNhan = "2026-11-26T08:30:00+07:00",
        DonViXuLy = "000.00.01.H56",
        KenhThucHien = 2,
        LoaiDoiTuong = 1,
        TaiKhoanXacThuc = "VNeID",
        SoGiayToChuHoSo = "038085000123",
        MucDo = 4,
    };
}
