using System.Collections.Concurrent;
using Grpc.Core;
using OneStop.Cli.Commands;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Issue 15's evidence promise under crashes: the hub runs as a separate OS process and is SIGKILLed twice while
/// 16 callers publish. Every exchange the hub answered has its evidence record (it waited until the record was
/// durable), the chain has no gap and no corruption, and each restart resumed from the head checkpoint.
/// </summary>
public sealed class EvidenceCrashTests
{
    private const int Events = 1_200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_answered_exchange_has_its_record_and_the_chain_verifies_after_SIGKILLs_under_load()
    {
        using var kafka = new TestKafkaCluster();
        await using var systems = await TestSystems.StartAsync();
        var settings = systems.Settings();
        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:SessionTimeoutMs"] = "6000";
        settings["Evidence:InstanceId"] = "crash-hub";
        settings["Evidence:HeadCheckpointInterval"] = "00:00:00.200";
        settings["Security:RateLimit:PermitsPerPeriod"] = "100000";
        settings["Security:RateLimit:Burst"] = "100000";
        // The process output the test reads is capped (HubProcess keeps 2 MB): 1,200 publishes logged at Information
        // pushed the second restart's line past it. Only the evidence recorder's start lines are needed.
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:OneStop.Hub.Kafka.Evidence"] = "Information";
        await using var hub = new HubProcess(settings);
        await hub.StartAsync(Ct);

        var answered = new ConcurrentDictionary<string, bool>();
        var next = -1;
        var client = new DossierService.DossierServiceClient(hub.Grpc.WithApiKey());
        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Events)
            {
                var e = DossierRoutingTests.Event($"000.00.01.H56-261127-{i:0000}", 1, $"crash-{i}");
                var deadline = DateTime.UtcNow.AddMinutes(2);
                while (true)
                {
                    try
                    {
                        var reply = await client.PublishEventAsync(e, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Ct);
                        answered[reply.EventId] = true;
                        break;
                    }
                    catch (RpcException) when (DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(100, Ct);
                    }
                }
            }
        }, Ct)).ToList();

        foreach (var point in new[] { Events / 4, Events * 3 / 5 })
        {
            await Eventually.True(() => answered.Count >= point, $"{point} publishes answered", TimeSpan.FromMinutes(2), () => hub.Output, Ct);
            hub.Kill();
            await hub.StartAsync(Ct);
        }

        await Task.WhenAll(callers);
        answered.Count.ShouldBe(Events);

        var (entries, heads) = await EvidenceCommands.LoadAsync(hub.HttpAddress, ClientCalls.DemoKey, null, withHeads: true, Ct);
        var report = EvidenceChain.Verify(entries.Where(e => e.Chain == "crash-hub"), heads);
        report.Problems.ShouldBeEmpty();
        // A publish whose first attempt reached the dossier log before a kill is answered on retry as a duplicate:
        // that answered exchange is recorded with outcome duplicate.
        var recorded = entries.Where(e => e.Operation == "DossierService/PublishEvent" && e.Outcome is "ok" or "duplicate").Select(e => e.RequestId).ToHashSet();
        answered.Keys.Where(id => !recorded.Contains(id)).ShouldBeEmpty("answered publishes without an evidence record");
        // Both restarts found their head through the checkpoint topic (reading forward only past it).
        hub.Output.Split('\n').Count(l => l.Contains("resumed from the head checkpoint", StringComparison.Ordinal)).ShouldBe(2, hub.Output[^Math.Min(hub.Output.Length, 4000)..]);
    }
}
