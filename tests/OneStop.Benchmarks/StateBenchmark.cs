using System.Diagnostics;
using System.Globalization;
using System.Text;
using OneStop.Grpc.V1;
using OneStop.Hub.Kafka.State;
using OneStop.Testing;
using RocksDbSharp;

namespace OneStop.Benchmarks;

/// <summary>
/// Issue 9's state benchmark, in two parts:
/// <list type="number">
/// <item>The hub as its own process, Kafka in another (librdkafka's mock cluster inside kcat), the fakes in this one:
/// after 2,000, 5,000 and 10,000 dossiers' worth of events, the hub is SIGKILLed and restarted; prints its RSS and the
/// time until GetDossierTrail answers. (The mock keeps at most 5 MB per partition, so one event per dossier.)</item>
/// <item>The local state store alone with 1,000,000 dossiers' delivery states: write, close, reopen; prints RSS and
/// the reopen time.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- state</c> (needs <c>kcat</c>).
/// </summary>
internal static class StateBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var storeOnly = args.Contains("store-only");
        if (!storeOnly)
        {
            await HubRestartsAsync();
        }

        StoreAlone(1_000_000);
        return 0;
    }

    private static async Task HubRestartsAsync()
    {
        using var kafka = KcatCluster.Start();
        await using var systems = await TestSystems.StartAsync();
        var settings = systems.Settings();
        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:FetchWaitMaxMs"] = "20"; // a mock cluster (kcat) holds empty fetches for the whole wait
        settings["Security:RateLimit:PermitsPerPeriod"] = "1000000";
        settings["Security:RateLimit:Burst"] = "1000000";
        settings["Logging:LogLevel:Default"] = "Warning";
        await using var hub = new HubProcess(settings);
        var started = Stopwatch.StartNew();
        await hub.StartAsync(CancellationToken.None);
        Console.WriteLine($"state: fresh start healthy in {started.Elapsed.TotalSeconds:0.0} s, RSS {RssMb(hub.ProcessId):0} MB");
        var client = new DossierService.DossierServiceClient(hub.Grpc.WithApiKey());
        var admin = new AdminService.AdminServiceClient(hub.Grpc.WithApiKey());

        Console.WriteLine("| dossiers (1 event each) | RSS after restart MB | restart to healthy s | restart to trail answers s |");
        Console.WriteLine("|---|---|---|---|");
        var published = 0;
        foreach (var level in new[] { 2_000, 5_000, 10_000 })
        {
            await Parallel.ForEachAsync(Enumerable.Range(published, level - published), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await client.PublishEventAsync(Event(i), cancellationToken: ct));
            published = level;
            var emc = systems.Destinations.Emc;
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (emc.SideEffectCount < published && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            hub.Kill();
            var restart = Stopwatch.StartNew();
            await hub.StartAsync(CancellationToken.None);
            var healthy = restart.Elapsed.TotalSeconds;
            var last = MaHoSo(published - 1);
            while (true)
            {
                try
                {
                    var trail = await admin.GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = last });
                    if (trail.Events.Count > 0)
                    {
                        break;
                    }
                }
                catch (global::Grpc.Core.RpcException)
                {
                }

                await Task.Delay(20);
            }

            var answers = restart.Elapsed.TotalSeconds;
            await Task.Delay(2000); // let the restarted process settle before reading its memory
            Console.WriteLine($"| {published:N0} | {RssMb(hub.ProcessId):0} | {healthy:0.0} | {answers:0.0} |");
        }
    }

    /// <summary>1,000,000 delivery states (about 300 bytes each, as the hub writes them) in the local store, then reopen.</summary>
    private static void StoreAlone(int dossiers)
    {
        var path = Path.Combine(Path.GetTempPath(), "onestop-bench", $"state-{Guid.NewGuid():N}");
        try
        {
            var write = Stopwatch.StartNew();
            using (var files = new RocksStateFiles(path))
            {
                for (var start = 0; start < dossiers; start += 10_000)
                {
                    using var batch = new WriteBatch();
                    for (var i = start; i < Math.Min(dossiers, start + 10_000); i++)
                    {
                        var value = Encoding.UTF8.GetBytes(
                            $$"""{"destination":"emc","ma_ho_so":"{{MaHoSo(i)}}","version":3,"delivered":["{{i:x32}}","{{(i + 1):x32}}","{{(i + 2):x32}}"],"parked":[],"updated_at":"2026-11-27T08:00:00+07:00"}""");
                        batch.Put(RocksStateFiles.DataKey("delivery-state", $"s|emc|{MaHoSo(i)}"), RocksStateFiles.Encode(3, value));
                    }

                    batch.Put(RocksStateFiles.OffsetKey("delivery-state", 0), RocksStateFiles.EncodeOffset(start));
                    files.Write(batch);
                }
            }

            var written = write.Elapsed.TotalSeconds;
            GC.Collect();
            var reopen = Stopwatch.StartNew();
            using var again = new RocksStateFiles(path);
            var checkpoint = again.ReadOffset("delivery-state", 0);
            var found = Enumerable.Range(0, 1000).Count(k => again.Get(RocksStateFiles.DataKey("delivery-state", $"s|emc|{MaHoSo(k * (dossiers / 1000))}")) is not null);
            var reopened = reopen.Elapsed.TotalMilliseconds;
            GC.Collect();
            var size = new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1024.0 / 1024.0;
            Console.WriteLine($"state store alone: {dossiers:N0} dossiers written in {written:0.0} s ({size:0} MB on disk); " +
                $"reopen + checkpoint {checkpoint} + 1,000 random reads ({found} found) in {reopened:0} ms; process RSS {RssMb(Environment.ProcessId):0} MB");
        }
        finally
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string MaHoSo(int i) => $"H56.{(i / 10000) + 20}-261127-{i % 10000:0000}";

    /// <summary>The delivery benchmark's event, on this benchmark's own dossier numbers (the trails it reads back).</summary>
    private static DossierEvent Event(int i)
    {
        var e = DeliveryBenchmark.Proto(i, "state");
        e.MaHoSo = MaHoSo(i);
        return e;
    }

    internal static double RssMb(int? pid)
    {
        if (pid is null)
        {
            return double.NaN;
        }

        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}

/// <summary>librdkafka's mock cluster inside a kcat process, so it outlives hub processes (see docs/stack notes).</summary>
internal sealed class KcatCluster : IDisposable
{
    private readonly Process _process;

    private KcatCluster(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public static KcatCluster Start()
    {
        var info = new ProcessStartInfo("kcat", ["-C", "-b", "127.0.0.1:1", "-X", "test.mock.num.brokers=3", "-X", "socket.nagle.disable=true", "-t", "warmup"])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("kcat did not start (apt-get install -y kcat)");
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var line = process.StandardError.ReadLine() ?? throw new InvalidOperationException("kcat exited");
            var at = line.IndexOf("replaced with ", StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep draining stderr so kcat never blocks on a full pipe.
                _ = Task.Run(() => process.StandardError.ReadToEnd());
                return new KcatCluster(process, line[(at + "replaced with ".Length)..].Trim());
            }
        }

        process.Kill();
        throw new TimeoutException("kcat did not report its mock cluster");
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
