using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OneStop.Adapters;
using OneStop.Grpc.V1;
using OneStop.Mappings;
using OneStop.Mocks;
using OneStop.Schemas.Canonical;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// Issue 4's benchmark: events per second from ingest (gRPC PublishEvent, acknowledged after Kafka acks=all) to
/// the side effect at the EMC fake, with p50/p99 latency, beside the same number of direct HTTP calls to the same
/// fake (same body, same token, same concurrency) in the same run. Prints both and their ratio.
/// Not a test: run it with <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- delivery [events] [concurrency]</c>.
/// </summary>
internal static class DeliveryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        await using var systems = await TestSystems.StartAsync();
        var emc = systems.Destinations.Emc;

        var direct = await DirectAsync(emc, events, concurrency);
        emc.Reset();
        var (hub, paced) = await ThroughHubAsync(systems, events, concurrency, direct.PerSecond / 2);

        Console.WriteLine($"delivery benchmark: {events} events, concurrency {concurrency}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| path | events/s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| direct HTTP to the EMC fake | {direct.PerSecond:0} | {direct.P50:0.0} | {direct.P99:0.0} |");
        Console.WriteLine($"| through the hub, as fast as it takes them (publish -> side effect) | {hub.PerSecond:0} | {hub.P50:0.0} | {hub.P99:0.0} |");
        Console.WriteLine($"| through the hub at half the direct rate ({direct.PerSecond / 2:0}/s; acknowledgement -> side effect) | {paced.PerSecond:0} | {paced.P50:0.0} | {paced.P99:0.0} |");
        Console.WriteLine($"delivery: at half the direct rate, acknowledgement to side effect p50 {paced.P50:0.0} ms, p99 {paced.P99:0.0} ms");
        Console.WriteLine($"delivery: hub/direct throughput ratio {hub.PerSecond / direct.PerSecond:0.00}");
        return 0;
    }

    private sealed record Result(double PerSecond, double P50, double P99);

    /// <summary>The baseline: what the EMC adapter sends, sent straight to the fake.</summary>
    private static async Task<Result> DirectAsync(EmcMock emc, int events, int concurrency)
    {
        using var http = new HttpClient { BaseAddress = emc.Url };
        var token = await TokenAsync(http);
        var mapping = MappingLoader.LoadFolder(RepoPaths.MappingFiles).Get("emc.request");
        var options = new UpstreamOptions();
        foreach (var (k, v) in DestinationMocks.DemoParametersFor(emc))
        {
            options.Parameters[k] = v;
        }

        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events)
            {
                var body = DeliveryRequests.Map(mapping, DeliveryRequests.Source(Canonical(i, "direct"), options), "emc");
                using var request = UpstreamRequests.PostJson(EmcMock.TrackingPath, body, $"direct-{i}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var sw = Stopwatch.StartNew();
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }
        })));
        total.Stop();
        return Summarise(events / total.Elapsed.TotalSeconds, latencies);
    }

    private static async Task<(Result Full, Result Paced)> ThroughHubAsync(TestSystems systems, int events, int concurrency, double pacedRate)
    {
        var emc = systems.Destinations.Emc;
        var settings = systems.Settings();
        settings["Security:RateLimit:PermitsPerPeriod"] = "1000000"; // measure the hub, not the per-client limit
        settings["Security:RateLimit:Burst"] = "1000000";
        settings["Logging:LogLevel:Default"] = "Warning";
        await using var hub = HubServer.Start(settings);
        var client = new DossierService.DossierServiceClient(hub.Grpc.WithApiKey());

        // Warm up: the first event waits for the consumer groups to form.
        await client.PublishEventAsync(Proto(-1, "warmup"));
        while (emc.SideEffectCount == 0)
        {
            await Task.Delay(50);
        }

        emc.Reset();

        // 1. Throughput: publishers as fast as the hub acknowledges; from the first publish to the last side effect.
        var started = new ConcurrentDictionary<string, long>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events)
            {
                var at = clock.ElapsedTicks;
                var reply = await client.PublishEventAsync(Proto(i, "hub"));
                started[reply.EventId] = at;
            }
        })));
        var full = await SettleAsync(emc, started, clock, events);

        // 2. Latency at half the direct rate: events published on a fixed schedule (open loop), measured from the
        // acknowledgement to the side effect.
        var pacedCount = Math.Min(events, 1000);
        var acked = new ConcurrentDictionary<string, long>();
        var pacedClock = Stopwatch.StartNew();
        var sends = new List<Task>();
        for (var i = 0; i < pacedCount; i++)
        {
            var due = TimeSpan.FromSeconds(i / pacedRate);
            if (due > pacedClock.Elapsed)
            {
                await Task.Delay(due - pacedClock.Elapsed);
            }

            var n = i;
            sends.Add(Task.Run(async () =>
            {
                var reply = await client.PublishEventAsync(Proto(n, "paced"));
                acked[reply.EventId] = pacedClock.ElapsedTicks;
            }));
        }

        await Task.WhenAll(sends);
        var paced = await SettleAsync(emc, acked, pacedClock, pacedCount);
        return (full, paced);
    }

    /// <summary>Polls the fake until every event has its side effect; latency from the given start of each.</summary>
    private static async Task<Result> SettleAsync(EmcMock emc, ConcurrentDictionary<string, long> started, Stopwatch clock, int events)
    {
        var seen = new Dictionary<string, long>();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (seen.Count < events && DateTime.UtcNow < deadline)
        {
            foreach (var s in emc.SideEffects)
            {
                var id = s.IdempotencyKey!.Split(':')[0];
                if (started.ContainsKey(id))
                {
                    seen.TryAdd(id, clock.ElapsedTicks); // first seen by this poll: an upper bound, polled every 2 ms
                }
            }

            await Task.Delay(2);
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

    private static Schemas.Canonical.DossierEvent Canonical(int i, string run) => new()
    {
        EventId = $"{run}{i}",
        ClientEventId = $"{run}-{i}",
        Client = "bench",
        AcceptedAt = DateTimeOffset.UtcNow,
        MaHoSo = $"H56.{(i + 1) / 10000 + 10}-261126-{(i + 1) % 10000:0000}",
        MaTthc = "1.001234.000.00.00.H56",
        TenTthc = "Đăng ký khai sinh",
        TrangThaiHoSo = 2,
        NgayTiepNhan = DateTimeOffset.Parse("2026-11-26T08:30:00+07:00", CultureInfo.InvariantCulture),
        DonViXuLy = "000.00.01.H56",
        KenhThucHien = 2,
        LoaiDoiTuong = 1,
        TaiKhoanXacThuc = "VNeID",
        SoGiayToChuHoSo = "038085000123",
        MucDo = 4,
    };
}
