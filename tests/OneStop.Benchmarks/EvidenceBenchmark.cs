using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneStop.Hub.Evidence;
using OneStop.Hub.Kafka;
using OneStop.Hub.Kafka.Evidence;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/OneStop.Benchmarks -- evidence [records per step]</c>: the evidence
/// recorder on a librdkafka mock cluster.
/// <list type="bullet">
/// <item>Group commit: durable records per second with 1 caller and with 64 concurrent callers (each awaiting its
/// own acks=all record, as exchanges do), and the mean batch the writer formed.</item>
/// <item>Restart: the chain grows step by step; after each step a fresh recorder resumes the chain (head checkpoint,
/// then a forward read) and, as the baseline, the whole topic is read as the old start-up did. Ends with the ratio of
/// resume times at the largest and the smallest volume.</item>
/// </list>
/// </summary>
public static class EvidenceBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var step = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000;
        using var kafka = new TestKafkaCluster();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        long batches = 0, batched = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Name == "onestop.evidence.batch")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref batched, value);
        });
        listener.Start();

        KafkaEvidenceRecorder New() => new(
            new KafkaCluster(Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers }), new ConfigurationBuilder().Build(), NullLogger<KafkaCluster>.Instance),
            Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers }),
            Options.Create(new EvidenceOptions { InstanceId = "bench", HeadCheckpointInterval = TimeSpan.FromMilliseconds(200) }),
            NullLogger<KafkaEvidenceRecorder>.Instance, meters, TimeProvider.System);

        static ExchangeRecord Record(int i) => new()
        {
            Client = "bench", Operation = "LookupService/GetEnterprise", Time = DateTimeOffset.UtcNow, Outcome = "ok",
            RequestDigest = ExchangeRecord.Digest($"request {i}"), ResponseDigest = ExchangeRecord.Digest($"response {i}"),
            Upstream = "business", RequestId = $"req-{i}", MappingVersion = "business.request@1,business.reply@1",
        };

        async Task<double> Write(KafkaEvidenceRecorder recorder, int count, int callers)
        {
            Interlocked.Exchange(ref batches, 0);
            Interlocked.Exchange(ref batched, 0);
            var next = -1;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    await recorder.RecordAsync(Record(i), CancellationToken.None);
                }
            })));
            return count / sw.Elapsed.TotalSeconds;
        }

        var first = New();
        await first.StartAsync(CancellationToken.None);
        await Write(first, 200, 8); // warm-up: connections, topic creation
        var one = await Write(first, Math.Min(step, 1_000), 1);
        var meanOne = (double)batched / Math.Max(1, batches);
        var many = await Write(first, step, 64);
        var meanMany = (double)batched / Math.Max(1, batches);
        Console.WriteLine($"evidence: 1 caller {one:0} records/s (mean batch {meanOne:0.0}); 64 callers {many:0} records/s (mean batch {meanMany:0.0})");
        Console.WriteLine($"evidence: group commit 64/1 throughput ratio {many / one:0.00}");

        var current = first;
        var resumes = new List<(long Volume, double Resume, double Full)>();
        for (var round = 0; round < 4; round++)
        {
            await Write(current, step, 64);
            current.Dispose(); // a clean stop writes the head checkpoint; a crash leaves it up to one interval behind
            var sw = Stopwatch.StartNew();
            current = New();
            await current.StartAsync(CancellationToken.None);
            var resume = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var all = await current.ReadAllAsync(CancellationToken.None);
            var full = sw.Elapsed.TotalMilliseconds;
            resumes.Add((all.Count, resume, full));
            Console.WriteLine($"evidence: {all.Count,6} entries: resume {resume,7:0.0} ms ({current.Restore!.EntriesRead} read, from checkpoint: {current.Restore.FromCheckpoint}); full read {full,7:0.0} ms");
        }

        current.Dispose();
        Console.WriteLine($"evidence: resume time at {resumes[^1].Volume} / at {resumes[0].Volume} entries: {resumes[^1].Resume / resumes[0].Resume:0.00} (full read: {resumes[^1].Full / resumes[0].Full:0.00})");
        return 0;
    }
}
