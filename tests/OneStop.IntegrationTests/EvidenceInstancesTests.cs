using Confluent.Kafka;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Several hub instances on one Kafka cluster (a mock cluster this test owns, so it outlives the hubs): each
/// instance writes its own chain, and an instance restarted with the same id continues its chain.
/// </summary>
public sealed class EvidenceInstancesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_keep_their_own_chains_and_a_restarted_instance_continues_its_chain()
    {
        var config = new AdminClientConfig { SocketNagleDisable = true }; // as the hub's embedded cluster (KafkaCluster)
        config.Set("test.mock.num.brokers", "3");
        using var cluster = new AdminClientBuilder(config).Build();
        var bootstrap = string.Join(',', cluster.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        await using var systems = await TestSystems.StartAsync();

        HubServer Start(string instance)
        {
            var settings = systems.Settings();
            settings["Kafka:BootstrapServers"] = bootstrap;
            settings["Evidence:InstanceId"] = instance;
            return HubServer.Start(settings);
        }

        static async Task Lookups(HubServer hub, int count)
        {
            var client = new LookupService.LookupServiceClient(hub.Grpc);
            for (var i = 0; i < count; i++)
            {
                await client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, new global::Grpc.Core.Metadata { { "x-api-key", "onestop-demo-key" } }, cancellationToken: Ct);
            }
        }

        await using (var first = Start("hub-a"))
        {
            await using var other = Start("hub-b");
            await Task.WhenAll(Lookups(first, 5), Lookups(other, 4));
        }

        await using var restarted = Start("hub-a");
        await Lookups(restarted, 3);
        var store = (IEvidenceStore)restarted.Services.GetService(typeof(IEvidenceStore))!;
        var entries = await store.ReadAllAsync(Ct);

        var report = EvidenceChain.Verify(entries, store.Heads);
        report.Problems.ShouldBeEmpty();
        // Each chain holds its instance's lookups (and what each start recorded, such as the first mapping load);
        // the heads cover every entry, so nothing is missing at either end.
        entries.Count(e => e.Chain == "hub-a" && e.Operation == "LookupService/GetEnterprise").ShouldBe(8);
        entries.Count(e => e.Chain == "hub-b" && e.Operation == "LookupService/GetEnterprise").ShouldBe(4);
        long Last(string chain) => entries.Count(e => e.Chain == chain) - 1L;
        report.Heads.Select(h => (h.Chain, h.Seq)).ShouldBe([("hub-a", Last("hub-a")), ("hub-b", Last("hub-b"))]);
        store.Heads.ShouldHaveSingleItem().Seq.ShouldBe(Last("hub-a"));
    }
}
