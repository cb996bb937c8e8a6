using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// Issue 15's lookup benchmark: the same business lookup by MST (GetEnterprise), directly against the business fake
/// (the request the business adapter sends, with the same token) and through the hub over gRPC and over SOAP, at 1
/// and 64 concurrent callers, all in one run. Kafka runs in its own process (librdkafka's mock cluster inside kcat),
/// the hub in another (Production environment, its shipped appsettings.json, pointed at the fakes and at that Kafka),
/// the fakes and the callers in this one. Beside them, the floor: the same gRPC call answered by a bare relay in a
/// process of its own (<see cref="LookupRelay"/>), without and with a durable Kafka write per call, so a run shows how
/// much of the distance to the direct path the transports and the durable write take, and how much the hub's own
/// layers. Each cell is bounded in count and time. Prints req/s, p50, p99, each server's CPU per request, RSS, and
/// ends with <c>lookup: hub/direct throughput ratio X.XX</c> (gRPC at 64 callers).
/// Run: <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- lookup [requests per cell] [seconds per cell] [KEY=VALUE hub setting …]</c>.
/// </summary>
internal static class LookupBenchmark
{
    private static readonly int[] Callers = [1, 64];

    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.Skip(1).Where(a => !a.Contains('=', StringComparison.Ordinal)).ToArray();
        var requests = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 20_000;
        var seconds = numbers.Length > 1 ? double.Parse(numbers[1], CultureInfo.InvariantCulture) : 15;
        var limit = new Limit(requests, TimeSpan.FromSeconds(seconds));

        using var kafka = KcatCluster.Start();
        await using var systems = await TestSystems.StartAsync();
        var business = systems.National.Business;
        var msts = business.Data.Businesses.Select(b => b.MaSoDoanhNghiep).ToArray();

        var settings = systems.Settings();
        settings["DOTNET_ENVIRONMENT"] = "Production";
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:FetchWaitMaxMs"] = "20"; // a mock cluster (kcat) holds empty fetches for the whole wait
        // Measure the hub, not the per-client rate limit (Production's demo client allows 200/s).
        settings["Security:RateLimit:PermitsPerPeriod"] = "1000000";
        settings["Security:RateLimit:Burst"] = "1000000";
        foreach (var extra in args.Skip(1).Where(a => a.Contains('=', StringComparison.Ordinal)))
        {
            var at = extra.IndexOf('=', StringComparison.Ordinal);
            settings[extra[..at]] = extra[(at + 1)..];
        }

        await using var hub = new HubProcess(settings);
        await hub.StartAsync(CancellationToken.None);
        var pid = hub.ProcessId ?? throw new InvalidOperationException("hub process has no id");
        Console.WriteLine($"lookup: hub process {pid} (Production), Kafka {kafka.BootstrapServers}, business fake {business.Url}");

        using var direct = new HttpClient { BaseAddress = business.Url };
        var token = await DeliveryBenchmark.TokenAsync(direct);
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var soap = new HttpClient { BaseAddress = hub.HttpAddress };
        soap.DefaultRequestHeaders.Add("x-api-key", ClientCalls.DemoKey);
        var grpc = new LookupService.LookupServiceClient(hub.Grpc.WithApiKey());

        // The floor: the same gRPC call answered by a bare relay (LookupRelay), without and with a durable write per call.
        var relayAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var durableAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var relayChannel = GrpcChannel.ForAddress(relayAddress);
        using var durableChannel = GrpcChannel.ForAddress(durableAddress);
        var relay = new LookupService.LookupServiceClient(relayChannel);
        var durable = new LookupService.LookupServiceClient(durableChannel);
        using var relayProcess = await LookupRelay.StartAsync(relayAddress, business.Url, token, null, relay, msts[0]);
        using var durableProcess = await LookupRelay.StartAsync(durableAddress, business.Url, token, kafka.BootstrapServers, durable, msts[0]);
        try
        {
            return await MeasureAsync(msts, limit, [
                new Route(Direct, null, mst => DirectAsync(direct, mst)),
                new Route(HubGrpc, pid, mst => GrpcAsync(grpc, mst)),
                new Route(HubSoap, pid, mst => SoapAsync(soap, mst)),
                new Route(Relay, relayProcess.Id, mst => GrpcAsync(relay, mst)),
                new Route(DurableRelay, durableProcess.Id, mst => GrpcAsync(durable, mst)),
            ]);
        }
        finally
        {
            relayProcess.Kill();
            durableProcess.Kill();
        }
    }

    private const string Direct = "direct HTTP to the business fake";
    private const string HubGrpc = "through the hub, gRPC";
    private const string HubSoap = "through the hub, SOAP";
    private const string Relay = "floor: bare gRPC-to-HTTP relay";
    private const string DurableRelay = "floor: bare relay + durable Kafka write";

    /// <summary>One way to make the lookup, and the server process whose CPU it costs (none for the direct path).</summary>
    private sealed record Route(string Name, int? Pid, Func<string, Task> Call);

    private static async Task<int> MeasureAsync(string[] msts, Limit limit, Route[] paths)
    {
        int ServerOf(string name) => paths.Single(p => p.Name == name).Pid!.Value;
        var pid = ServerOf(HubGrpc);
        // Warm-up: JIT (tiered compilation promotes hot methods only after some thousands of calls and a delay),
        // connections, tokens, the evidence writer, on every path; the numbers are a long-running hub's.
        foreach (var path in paths)
        {
            await DriveAsync(path.Call, msts, 8, new Limit(5_000, TimeSpan.FromSeconds(20)));
        }

        // Then until the hub's JIT thread is quiet (rounds of 2,000 calls per path other than direct, at most a minute):
        // after 15,000 calls it was still compiling (tier-1 and PGO recompiles) well into the first measured cell.
        var jitSeconds = await ProcessCpu.WarmUntilJitQuietAsync(pid, async _ =>
        {
            foreach (var path in paths.Where(p => p.Pid is not null))
            {
                await DriveAsync(path.Call, msts, 8, new Limit(2_000, TimeSpan.FromSeconds(10)));
            }
        }, int.MaxValue, TimeSpan.FromMinutes(1));
        Console.WriteLine($"lookup: warmed up; JIT thread CPU: hub {jitSeconds:0.0} s, relay {ProcessCpu.JitSeconds(ServerOf(Relay)):0.0} s, " +
            $"durable relay {ProcessCpu.JitSeconds(ServerOf(DurableRelay)):0.0} s");

        var results = new List<(string Path, int Callers, Result Result)>();
        foreach (var callers in Callers)
        {
            foreach (var path in paths)
            {
                var cpuBefore = path.Pid is { } p ? ProcessCpu.Seconds(p) : 0;
                var result = await DriveAsync(path.Call, msts, callers, limit);
                if (path.Pid is { } after)
                {
                    result = result with { ServerCpuMsPerRequest = (ProcessCpu.Seconds(after) - cpuBefore) * 1000 / result.Count };
                }

                results.Add((path.Name, callers, result));
                Console.WriteLine($"lookup: {path.Name}, {callers} caller(s): {result.Count} requests, {result.PerSecond:0} req/s");
            }
        }

        var rss = StateBenchmark.RssMb(pid);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.WriteLine();
        Console.WriteLine($"lookup benchmark: GetEnterprise by MST over {msts.Length} businesses, {Environment.ProcessorCount} cores, " +
            $"load average {string.Join(' ', load)} (shared machine), each cell ≤ {limit.Requests:N0} requests and ≤ {limit.Time.TotalSeconds:0} s");
        Console.WriteLine("| path | callers | requests | req/s | p50 ms | p99 ms | server CPU ms/request |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (path, callers, r) in results)
        {
            var cpu = double.IsNaN(r.ServerCpuMsPerRequest) ? "" : r.ServerCpuMsPerRequest.ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {path} | {callers} | {r.Count:N0} | {r.PerSecond:N0} | {r.P50:0.00} | {r.P99:0.00} | {cpu} |");
        }

        Result Find(string name, int callers) => results.First(x => x.Path == name && x.Callers == callers).Result;
        var baseline1 = Find(Direct, 1);
        var baseline64 = Find(Direct, 64);
        Console.WriteLine($"lookup: hub RSS after the run {rss:0} MB (bare relay {StateBenchmark.RssMb(ServerOf(Relay)):0} MB, with the durable write {StateBenchmark.RssMb(ServerOf(DurableRelay)):0} MB)");
        Console.WriteLine($"lookup: floor: added p50 at 1 caller: bare relay {Find(Relay, 1).P50 - baseline1.P50:0.00} ms, with the durable write {Find(DurableRelay, 1).P50 - baseline1.P50:0.00} ms");
        Console.WriteLine($"lookup: floor: relay/direct throughput ratio at 64 callers: bare {Find(Relay, 64).PerSecond / baseline64.PerSecond:0.00}, " +
            $"with the durable write {Find(DurableRelay, 64).PerSecond / baseline64.PerSecond:0.00}");
        Console.WriteLine($"lookup: hub gRPC against the bare relay with the durable write at 64 callers: {Find(HubGrpc, 64).PerSecond / Find(DurableRelay, 64).PerSecond:0.00}");
        Console.WriteLine($"lookup: added p50 at 1 caller: gRPC {Find(HubGrpc, 1).P50 - baseline1.P50:0.00} ms, SOAP {Find(HubSoap, 1).P50 - baseline1.P50:0.00} ms");
        Console.WriteLine($"lookup: SOAP hub/direct throughput ratio at 64 callers {Find(HubSoap, 64).PerSecond / baseline64.PerSecond:0.00}");
        Console.WriteLine($"lookup: hub/direct throughput ratio {Find(HubGrpc, 64).PerSecond / baseline64.PerSecond:0.00}");
        return 0;
    }

    private sealed record Limit(int Requests, TimeSpan Time);

    private sealed record Result(int Count, double PerSecond, double P50, double P99, double ServerCpuMsPerRequest = double.NaN);

    /// <summary>Closed loop: <paramref name="callers"/> callers, each sending its next request when the last answered.</summary>
    private static async Task<Result> DriveAsync(Func<string, Task> call, string[] msts, int callers, Limit limit)
    {
        var latencies = new double[limit.Requests];
        var next = -1;
        var clock = Stopwatch.StartNew();
        var deadline = limit.Time;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while (clock.Elapsed < deadline && (i = Interlocked.Increment(ref next)) < limit.Requests)
            {
                var started = Stopwatch.GetTimestamp();
                await call(msts[i % msts.Length]);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        clock.Stop();
        var sorted = latencies.Where(l => l > 0).Order().ToArray(); // the requests that were sent (and answered)
        return new Result(sorted.Length, sorted.Length / clock.Elapsed.TotalSeconds, sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]);
    }

    /// <summary>What the business adapter sends: GET with the MST as <c>msdn</c> and the bearer token.</summary>
    private static async Task DirectAsync(HttpClient http, string mst)
    {
        using var response = await http.GetAsync(new Uri($"/api/doanhnghiep/chiTietDoanhNghiep?msdn={mst}", UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode || body.Length < 50)
        {
            throw new InvalidOperationException($"business fake answered {(int)response.StatusCode}");
        }
    }

    private static async Task GrpcAsync(LookupService.LookupServiceClient client, string mst)
    {
        var reply = await client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = mst });
        if (reply.DoanhNghiep.MaSoDoanhNghiep != mst)
        {
            throw new InvalidOperationException("gRPC answered another business");
        }
    }

    private static async Task SoapAsync(HttpClient http, string mst)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/soap/lookup", UriKind.Relative))
        {
            Content = new StringContent(
                $"""<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetEnterprise xmlns="http://onestop.lgsp/lookup/v1"><request><MaSoDoanhNghiep>{mst}</MaSoDoanhNghiep></request></GetEnterprise></s:Body></s:Envelope>""",
                Encoding.UTF8, "text/xml"),
        };
        request.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/GetEnterprise\"");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !body.Contains(mst, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"SOAP answered {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
        }
    }
}
