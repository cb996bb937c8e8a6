using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Adapters;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

public sealed partial class ScaleOutTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A second instance joins the same Kafka cluster while the first is delivering: the consumer groups
    /// rebalance, both instances deliver, and afterwards the first leaves. Every event reaches the destination
    /// exactly once, in each dossier's order.
    /// </summary>
    [Fact]
    public async Task Second_instance_shares_the_work_through_the_rebalance_without_loss_or_duplication()
    {
        using var kafka = new TestKafkaCluster();
        await using var systems = await TestSystems.StartAsync();
        var settings = systems.Settings();
        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:SessionTimeoutMs"] = "6000";
        var atA = new RecordingDestination("alpha");
        var atB = new RecordingDestination("alpha");
        const int dossierCount = 100;
        int[] statuses = [1, 2, 4, 5, 4, 9, 10];
        var dossiers = Enumerable.Range(0, dossierCount).Select(i => $"H56.14-261124-{i:0000}").ToList();

        var hubA = HubServer.Start(new Dictionary<string, string?>(settings) { ["Evidence:InstanceId"] = "hub-a" }, s => s.AddSingleton<IDeliveryAdapter>(atA));
        HubServer? hubB = null;
        try
        {
            var clientA = new DossierService.DossierServiceClient(hubA.Grpc.WithApiKey());
            await PublishAsync(clientA, dossiers, statuses[..3]);

            hubB = HubServer.Start(new Dictionary<string, string?>(settings) { ["Evidence:InstanceId"] = "hub-b" }, s => s.AddSingleton<IDeliveryAdapter>(atB));
            var clientB = new DossierService.DossierServiceClient(hubB.Grpc.WithApiKey());

            // The second instance is ready before its consumers have partitions. Publish its share only once the
            // rebalance has given it some: published earlier, the first instance delivers them all before it lets
            // the partitions go, and the second has nothing left to do.
            await Eventually.True(() => hubB.Logs.Lines.Any(l => SharedPartitions().IsMatch(l)), "the rebalance gives the second instance partitions",
                TimeSpan.FromSeconds(60), cancellationToken: Ct);
            await PublishAsync(clientB, dossiers, statuses[3..5]);
            await Eventually.True(() => atB.SideEffects > 0, "the second instance takes a share of the partitions", TimeSpan.FromSeconds(60),
                cancellationToken: Ct, diagnostics: () => string.Join("\n", hubB.Logs.Lines.Where(l => !l.StartsWith("Trace", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal)).Select(l => l.Length > 200 ? l[..200] : l).TakeLast(25)));

            await hubA.DisposeAsync(); // the first instance leaves: the second takes over its partitions
            hubA = null;
            await PublishAsync(clientB, dossiers, statuses[5..]);

            await Eventually.True(() => dossiers.All(m => atA.For(m).Count + atB.For(m).Count == statuses.Length), "every event delivered",
                TimeSpan.FromSeconds(90), cancellationToken: Ct);
            await Task.Delay(1000, Ct);
            foreach (var m in dossiers)
            {
                // Each dossier stays on one partition; across a rebalance it may move once, so merge the two
                // instances' records in the order the events were published and compare.
                var delivered = atA.For(m).Concat(atB.For(m)).OrderBy(e => e.AcceptedAt).ToList();
                delivered.Select(e => e.TrangThaiHoSo).ShouldBe(statuses, $"{m}: none missing, none duplicated, order kept");
                delivered.Select(e => e.EventId).Distinct().Count().ShouldBe(statuses.Length);
            }

            TestContext.Current.TestOutputHelper!.WriteLine(
                $"scale-out: instance A delivered {atA.SideEffects}, instance B {atB.SideEffects}, wire duplicates {atA.WireDuplicates + atB.WireDuplicates}");
            atA.SideEffects.ShouldBeGreaterThan(0);
            atB.SideEffects.ShouldBeGreaterThan(0);
        }
        finally
        {
            if (hubA is not null)
            {
                await hubA.DisposeAsync();
            }

            if (hubB is not null)
            {
                await hubB.DisposeAsync();
            }
        }
    }

    [GeneratedRegex("Delivery to alpha: partitions [0-9]+(,[0-9]+)* assigned")]
    private static partial Regex SharedPartitions();

    private static async Task PublishAsync(DossierService.DossierServiceClient client, List<string> dossiers, int[] statuses)
    {
        foreach (var status in statuses)
        {
            using var call = client.PublishEvents(cancellationToken: Ct);
            foreach (var m in dossiers)
            {
                await call.RequestStream.WriteAsync(DossierRoutingTests.Event(m, status, $"{m}/{status}/{Guid.NewGuid():N}"), Ct);
            }

            await call.RequestStream.CompleteAsync();
            var n = 0;
            await foreach (var _ in call.ResponseStream.ReadAllAsync(Ct))
            {
                n++;
            }

            n.ShouldBe(dossiers.Count);
        }
    }
}
