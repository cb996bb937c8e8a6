using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Two hub instances on one Kafka cluster, both configured to pull the same ten agencies: each agency's scheduled
/// pull runs on exactly one of them; when one leaves, the other takes its agencies over, skipping what the first
/// already took (the seen-dossier table is shared), so no dossier reaches the topic twice from the pull.
/// </summary>
public sealed class InboundPullOwnershipTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_agency_is_pulled_by_one_instance_and_the_survivor_takes_over_without_pulling_a_dossier_twice()
    {
        using var kafka = new TestKafkaCluster();
        await using var systems = await TestSystems.StartAsync();
        var portal = systems.Destinations.Portal;
        var agencies = PortalMock.DemoAgencies.Select(a => a.MaCoQuan).ToList();
        var settings = systems.Settings();
        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:SessionTimeoutMs"] = "6000";
        settings["Inbound:PullInterval"] = "00:00:01";
        settings["Inbound:AttachmentsPath"] = Path.Combine(Path.GetTempPath(), "onestop-tests", $"attachments-{Guid.NewGuid():N}");
        for (var i = 0; i < agencies.Count; i++)
        {
            settings[$"Inbound:Agencies:{i}"] = agencies[i];
        }

        HubServer? hubA = HubServer.Start(new Dictionary<string, string?>(settings) { ["Evidence:InstanceId"] = "hub-a" });
        HubServer? hubB = null;
        try
        {
            await Eventually.True(() => Owns(hubA), "the first instance owns the pull partitions", Wait, cancellationToken: Ct);
            hubB = HubServer.Start(new Dictionary<string, string?>(settings) { ["Evidence:InstanceId"] = "hub-b" });
            await Eventually.True(() => Owns(hubB) && HandedOver(hubA), "the group shares the pull partitions between the two", Wait, cancellationToken: Ct);

            var first = agencies.SelectMany(a => Enumerable.Range(0, 3).Select(_ => portal.SubmitOnline(a))).ToList();
            var received = await AllReceivedAsync(hubB, agencies, first.Count);
            var byA = PulledBy(hubA, first);
            var byB = PulledBy(hubB, first);
            TestContext.Current.TestOutputHelper!.WriteLine($"first round: instance A pulled {byA.Count} dossiers of agencies {string.Join(',', AgenciesOf(byA))}, instance B {byB.Count} of {string.Join(',', AgenciesOf(byB))}");
            byA.Intersect(byB).ShouldBeEmpty("no dossier is pulled by both instances");
            AgenciesOf(byA).Intersect(AgenciesOf(byB)).ShouldBeEmpty("each agency is pulled by one instance");
            byA.ShouldNotBeEmpty("both instances pull");
            byB.ShouldNotBeEmpty("both instances pull");
            received.Select(m => m.Dossier.MaHoSo).Order(StringComparer.Ordinal).ShouldBe(first.Select(d => d.MaHoSo).Order(StringComparer.Ordinal), "each dossier on the topic once");

            // The first instance leaves: the second takes its agencies over and pulls what is submitted next.
            await hubA.DisposeAsync();
            hubA = null;
            var second = agencies.SelectMany(a => Enumerable.Range(0, 2).Select(_ => portal.SubmitOnline(a))).ToList();
            received = await AllReceivedAsync(hubB, agencies, first.Count + second.Count);
            PulledBy(hubB, second).Count.ShouldBe(second.Count, "the survivor pulls every agency");
            received.Select(m => m.Dossier.MaHoSo).Order(StringComparer.Ordinal)
                .ShouldBe(first.Concat(second).Select(d => d.MaHoSo).Order(StringComparer.Ordinal), "each dossier on the topic once, also those the first instance had pulled");
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

    private static bool Owns(HubServer hub) => hub.Logs.Lines.Any(l => l.Contains("Inbound pull: this instance now owns partitions", StringComparison.Ordinal));

    private static bool HandedOver(HubServer hub) => hub.Logs.Lines.Any(l => l.Contains("Inbound pull: partitions", StringComparison.Ordinal) && l.Contains("handed over", StringComparison.Ordinal));

    /// <summary>The dossiers this instance accepted from a pull (its log says so).</summary>
    private static HashSet<string> PulledBy(HubServer hub, IEnumerable<PortalOnlineDossier> dossiers)
    {
        var lines = hub.Logs.Lines.Where(l => l.Contains("accepted for agency", StringComparison.Ordinal) && l.Contains("(pull)", StringComparison.Ordinal)).ToList();
        return [.. dossiers.Select(d => d.MaHoSo).Where(m => lines.Any(l => l.Contains($"Inbound dossier {m} accepted", StringComparison.Ordinal)))];
    }

    private static IEnumerable<string> AgenciesOf(IEnumerable<string> maHoSo) => maHoSo.Select(m => m[..m.IndexOf('-', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal);

    /// <summary>Every message of the agencies (nothing acknowledged, so the whole stream each time), once <paramref name="count"/> have arrived.</summary>
    private static async Task<List<InboundMessage>> AllReceivedAsync(HubServer hub, List<string> agencies, int count)
    {
        var client = new InboundService.InboundServiceClient(hub.Grpc.WithApiKey());
        return await Eventually.Until(
            async () => (await client.FetchAsync(new FetchRequest { Agencies = { agencies }, MaxMessages = 500 }, cancellationToken: Ct)).Messages.ToList(),
            r => r.Count >= count, $"{count} pulled dossiers reach the subscriber", Wait);
    }
}
