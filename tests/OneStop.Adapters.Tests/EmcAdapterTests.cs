using Microsoft.Extensions.Hosting;
using OneStop.Adapters.Emc;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;
using System.Text.Json.Nodes;

namespace OneStop.Adapters.Tests;

public sealed class EmcAdapterTests
{
    private static async Task<DestinationHost> StartAsync(Dictionary<string, string?>? overrides = null) =>
        await DestinationHost.StartAsync("Emc", await EmcMock.StartAsync(), b => b.AddEmcAdapter(), overrides);

    private static JsonObject Body(SideEffect effect) => JsonNode.Parse(effect.Payload)!.AsObject();

    [Theory]
    [InlineData(1, "1")]
    [InlineData(2, "1")]
    [InlineData(4, "2")]
    [InlineData(9, "3")]
    [InlineData(10, "3")]
    [InlineData(3, "0")]
    [InlineData(5, "0")]
    [InlineData(6, "0")]
    [InlineData(7, "0")]
    [InlineData(8, "0")]
    public async Task Dossier_status_becomes_the_EMC_status_of_the_mapping_table(int trangThaiHoSo, string emcStatus)
    {
        await using var host = await StartAsync();
        var e = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), trangThaiHoSo);

        var receipt = await host.DeliverAsync(e);

        receipt.Action.ShouldBe($"TrackingMCDT Status={emcStatus}");
        receipt.MappingVersion.ShouldBe("emc.request@1");
        host.Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem().Status.ShouldBe(emcStatus);
    }

    [Fact]
    public async Task User_is_JSON_text_sent_only_when_the_citizen_signed_in()
    {
        await using var host = await StartAsync();
        var signedIn = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2);
        var anonymous = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2) with { TaiKhoanXacThuc = null };

        await host.DeliverAsync(signedIn);
        await host.DeliverAsync(anonymous);

        var user = Body(host.Mock.SideEffectsFor(signedIn.MaHoSo).Single())["User"]!.GetValue<string>();
        JsonNode.Parse(user)!.ToJsonString().ShouldBe("""{"ID_local":"038085000123","ID_QG":"038085000123","TYPE":"2","LOCATION":"38"}""");
        Body(host.Mock.SideEffectsFor(anonymous.MaHoSo).Single()).ContainsKey("User").ShouldBeFalse();
    }

    [Fact]
    public async Task Body_carries_the_documented_fields_as_text()
    {
        await using var host = await StartAsync();
        var e = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 9);

        await host.DeliverAsync(e);

        var body = Body(host.Mock.SideEffectsFor(e.MaHoSo).Single());
        body.Select(p => p.Key).ShouldBe(
            ["CodeProfile", "SiteId", "CodeTTHC", "NameTTHC", "MaHoSo", "Status", "FormsReception", "FormsPayments", "Level", "IsFromDVCQG", "IsDVCBC", "Data", "User"]);
        body["FormsReception"]!.GetValue<string>().ShouldBe("1"); // online
        body["IsDVCBC"]!.GetValue<string>().ShouldBe("1");        // result by post
        body["Level"]!.GetValue<string>().ShouldBe("4");
    }

    [Fact]
    public async Task Wrong_SiteId_is_refused_by_EMC_and_reported_rejected()
    {
        await using var host = await StartAsync(new() { ["Upstreams:Emc:Parameters:site_id"] = "another-site" });
        var e = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2);

        var failure = await Should.ThrowAsync<UpstreamException>(() => host.DeliverAsync(e));

        failure.Failure.ShouldBe(UpstreamFailure.Rejected);
        failure.Message.ShouldContain("HTTP 403");
        host.Mock.SideEffectCount.ShouldBe(0);
    }

    [Fact]
    public async Task Every_event_is_wanted()
    {
        await using var host = await StartAsync();
        foreach (var status in Enumerable.Range(1, 10))
        {
            host.Adapter.Wants(TestDossierEvents.Event("x", status) with { HinhThuc = 0 }).ShouldBeTrue();
        }
    }
}
