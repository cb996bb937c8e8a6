using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters.Postal;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

public sealed class PostalAdapterTests
{
    private static async Task<DestinationHost> StartAsync() =>
        await DestinationHost.StartAsync("Postal", await PostalMock.StartAsync(), b => b.AddPostalAdapter());

    private static PostalMock Postal(DestinationHost host) => (PostalMock)host.Mock;

    [Theory]
    [InlineData(9, 1, true)]   // result ready, by post: create the order
    [InlineData(9, 0, false)]  // result ready, collected in person
    [InlineData(10, 1, false)] // returned: the order was made at 9
    [InlineData(4, 1, false)]
    [InlineData(7, 1, true)]   // withdrawn: cancel the order if there is one
    [InlineData(7, 0, true)]
    public async Task Postal_wants_results_ready_by_post_and_withdrawals(int trangThaiHoSo, int hinhThuc, bool wanted)
    {
        await using var host = await StartAsync();

        host.Adapter.Wants(TestDossierEvents.Event("x", trangThaiHoSo) with { HinhThuc = hinhThuc }).ShouldBe(wanted);
    }

    [Fact]
    public async Task Result_ready_by_post_creates_one_order_numbered_by_the_dossier_with_commune_level_districts()
    {
        await using var host = await StartAsync();
        var e = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 9);

        var receipt = await host.DeliverAsync(e);

        receipt.ShouldBe(new DeliveryReceipt("order created", "postal.order.request@1"));
        var order = Postal(host).FindOrder(e.MaHoSo).ShouldNotBeNull();
        order.Cancelled.ShouldBeFalse();
        var body = JsonNode.Parse(order.Body)!.AsObject();
        body["ReceiverProvince"]!.GetValue<string>().ShouldBe("38");
        body["ReceiverDistrict"]!.GetValue<string>().ShouldBe("16012"); // no district level since 1 July 2025: the commune
        body["SenderDistrict"]!.GetValue<string>().ShouldBe(TestDestinationSettings.SenderCommune);
    }

    [Fact]
    public async Task Same_result_republished_under_a_new_key_does_not_make_a_second_order()
    {
        await using var host = await StartAsync();
        var e = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 9);
        await host.DeliverAsync(e);

        var again = await host.DeliverAsync(TestDossierEvents.Republished(e));

        again.Action.ShouldBe("order already exists");
        Postal(host).Orders.Count(o => o.OrderNumber == e.MaHoSo).ShouldBe(1);
        host.Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Withdrawal_cancels_the_order()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 9));

        var receipt = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 7));

        receipt.ShouldBe(new DeliveryReceipt("order cancelled", "postal.cancel.request@1"));
        host.Mock.SideEffectsFor(maHoSo).Select(x => x.Operation).ShouldBe(["order created", "order cancelled"]);
        Postal(host).FindOrder(maHoSo).ShouldNotBeNull().Cancelled.ShouldBeTrue();
    }

    [Fact]
    public async Task Withdrawal_without_an_order_is_a_no_op_success()
    {
        await using var host = await StartAsync();
        var e = TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 7) with { HinhThuc = 0 };

        var receipt = await host.DeliverAsync(e);

        receipt.Action.ShouldBe("no order to cancel");
        host.Mock.SideEffectCount.ShouldBe(0);
    }

    [Fact]
    public async Task Withdrawal_delivered_twice_under_different_keys_cancels_once()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 9));
        var withdrawn = TestDossierEvents.Event(maHoSo, 7);
        await host.DeliverAsync(withdrawn);

        var again = await host.DeliverAsync(TestDossierEvents.Republished(withdrawn));

        again.Action.ShouldBe("order cancelled");
        host.Mock.SideEffectsFor(maHoSo).Count(x => x.Operation == "order cancelled").ShouldBe(1);
    }

    [Fact]
    public async Task Event_not_for_postal_is_skipped_without_a_call()
    {
        await using var host = await StartAsync();

        var receipt = await host.DeliverAsync(TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 4));

        receipt.Action.ShouldStartWith("skipped");
        host.Mock.BusinessCalls.ShouldBe(0);
    }
}
