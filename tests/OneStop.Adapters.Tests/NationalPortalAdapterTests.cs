using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OneStop.Adapters.NationalPortal;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

public sealed class NationalPortalAdapterTests
{
    private static readonly DateTimeOffset StepAt = new(2026, 11, 21, 14, 5, 0, TimeSpan.FromHours(7));

    private static async Task<DestinationHost> StartAsync(PortalMock? mock = null, Dictionary<string, string?>? overrides = null) =>
        await DestinationHost.StartAsync("Portal", mock ?? await PortalMock.StartAsync(), b => b.AddNationalPortalAdapter(), overrides);

    private static PortalMock Portal(DestinationHost host) => (PortalMock)host.Mock;

    [Fact]
    public async Task TraCuuHoSo_decides_isUpdating_a_new_dossier_is_created_and_later_events_update_it()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();

        var created = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 2));
        var updated = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 4));

        created.Action.ShouldBe("DongBoHoSoMC isUpdating=False");
        updated.Action.ShouldBe("DongBoHoSoMC isUpdating=True");
        created.MappingVersion.ShouldBe("portal.dossier.request@1");
        host.Mock.SideEffectsFor(maHoSo).Select(e => (e.Operation, e.Status))
            .ShouldBe([("DongBoHoSoMC isUpdating=False", "2"), ("DongBoHoSoMC isUpdating=True", "4")]);
        Portal(host).FindDossier(maHoSo).ShouldNotBeNull().TrangThaiHoSo.ShouldBe("4");
    }

    [Fact]
    public async Task A_dossier_the_hub_delivered_before_is_updated_without_asking_TraCuuHoSo_again()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();

        var created = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 2));
        var updated = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 4), deliveredBefore: true);

        created.Action.ShouldBe("DongBoHoSoMC isUpdating=False");
        updated.Action.ShouldBe("DongBoHoSoMC isUpdating=True");
        Portal(host).Lookups.ShouldBe(1, "only the first event of the dossier asks whether it exists");
        Portal(host).FindDossier(maHoSo).ShouldNotBeNull().TrangThaiHoSo.ShouldBe("4");
    }

    [Fact]
    public async Task A_dossier_delivered_before_but_removed_from_the_portal_since_is_created_again()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();

        var receipt = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 4), deliveredBefore: true);

        receipt.Action.ShouldBe("DongBoHoSoMC isUpdating=False");
        Portal(host).Lookups.ShouldBe(0);
        host.Mock.SideEffectsFor(maHoSo).ShouldHaveSingleItem().Operation.ShouldBe("DongBoHoSoMC isUpdating=False");
    }

    [Fact]
    public async Task Dossier_the_portal_already_holds_is_pushed_as_an_update()
    {
        // e.g. submitted online on the national portal itself.
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        Portal(host).SeedDossier(maHoSo);

        var receipt = await host.DeliverAsync(TestDossierEvents.Event(maHoSo, 4));

        receipt.Action.ShouldBe("DongBoHoSoMC isUpdating=True");
        host.Mock.SideEffectsFor(maHoSo).ShouldHaveSingleItem().Operation.ShouldBe("DongBoHoSoMC isUpdating=True");
    }

    [Fact]
    public async Task Dossier_created_meanwhile_da_ton_tai_makes_the_adapter_switch_to_an_update()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        Portal(host).CreateAfterNextLookup(maHoSo); // TraCuuHoSo says missing; another system creates it right after

        var e = TestDossierEvents.Event(maHoSo, 2);
        var receipt = await host.DeliverAsync(e);

        receipt.Action.ShouldBe("DongBoHoSoMC isUpdating=True");
        var effects = host.Mock.SideEffectsFor(maHoSo);
        effects.Select(x => x.Operation).ShouldBe(["DongBoHoSoMC isUpdating=False (another system)", "DongBoHoSoMC isUpdating=True"]);
        effects[0].IdempotencyKey.ShouldBeNull();
        effects[1].IdempotencyKey.ShouldBe($"{e.EventId}:portal:DongBoHoSoMC");
    }

    [Fact]
    public async Task Event_with_a_processing_step_also_pushes_CapNhatTienDoHoSoMC()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        var e = TestDossierEvents.WithStep(TestDossierEvents.Event(maHoSo, 4), StepAt);

        var receipt = await host.DeliverAsync(e);

        receipt.Action.ShouldBe("DongBoHoSoMC isUpdating=False; CapNhatTienDoHoSoMC");
        receipt.MappingVersion.ShouldBe("portal.dossier.request@1, portal.progress.request@1");
        var effects = host.Mock.SideEffectsFor(maHoSo);
        effects.Select(x => (x.Operation, x.Status, x.IdempotencyKey))
            .ShouldBe([("DongBoHoSoMC isUpdating=False", "4", $"{e.EventId}:portal:DongBoHoSoMC"), ("CapNhatTienDoHoSoMC", "4", $"{e.EventId}:portal:CapNhatTienDoHoSoMC")]);
        var step = Portal(host).FindDossier(maHoSo).ShouldNotBeNull().Progress.ShouldHaveSingleItem();
        step.ThoiDiemXuLy.ShouldBe("20261121140500");
        step.Item.ShouldContain("\"NguoiXuLy\":\"Trần Thị Bình\"");
    }

    [Fact]
    public async Task Same_step_republished_under_a_new_key_leaves_the_same_state()
    {
        // The real portal has no idempotency header: a repeat must be harmless by itself.
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        var e = TestDossierEvents.WithStep(TestDossierEvents.Event(maHoSo, 4), StepAt);
        await host.DeliverAsync(e);
        var before = Portal(host).FindDossier(maHoSo).ShouldNotBeNull();

        await host.DeliverAsync(TestDossierEvents.Republished(e));

        var after = Portal(host).FindDossier(maHoSo).ShouldNotBeNull();
        after.TrangThaiHoSo.ShouldBe(before.TrangThaiHoSo);
        after.Item.ShouldBe(before.Item);
        after.Progress.ShouldHaveSingleItem().Item.ShouldBe(before.Progress.Single().Item);
        host.Mock.DuplicatesSuppressed.ShouldBe(0);
    }

    [Fact]
    public async Task Repeated_call_after_a_lost_reply_is_answered_from_the_key_not_pushed_twice()
    {
        await using var host = await StartAsync();
        var maHoSo = TestDossierEvents.NewMaHoSo();
        var e = TestDossierEvents.WithStep(TestDossierEvents.Event(maHoSo, 4), StepAt);
        await host.DeliverAsync(e);

        var again = await host.DeliverAsync(e, attempt: 2);

        again.Action.ShouldBe("DongBoHoSoMC isUpdating=True; CapNhatTienDoHoSoMC"); // the lookup now finds it
        host.Mock.SideEffectsFor(maHoSo).Count.ShouldBe(2);
        host.Mock.DuplicatesSuppressed.ShouldBe(2);
    }

    [Fact]
    public async Task Expired_session_is_renewed_by_logging_in_again()
    {
        await using var host = await StartAsync();
        await host.DeliverAsync(TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2));
        Portal(host).Logins.ShouldBe(1);

        host.Mock.Faults.ExpireTokens();
        await host.DeliverAsync(TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2));

        Portal(host).Logins.ShouldBe(2);
    }

    [Fact]
    public async Task Session_past_its_lifetime_on_the_portals_clock_is_renewed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero));
        var mock = await PortalMock.StartAsync(timeProvider: clock);
        mock.TokenLifetime = TimeSpan.FromMinutes(30);
        await using var host = await StartAsync(mock);
        await host.DeliverAsync(TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2));

        clock.Advance(TimeSpan.FromMinutes(31));
        await host.DeliverAsync(TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2));

        mock.Logins.ShouldBe(2);
        mock.SideEffectCount.ShouldBe(2);
    }

    [Fact]
    public async Task Wrong_dstcode_is_the_hubs_configuration_so_unavailable_not_rejected()
    {
        await using var host = await StartAsync(overrides: new() { ["Upstreams:Portal:Parameters:dstcode"] = "000.00.00.H99" });

        var failure = await Should.ThrowAsync<UpstreamException>(() => host.DeliverAsync(TestDossierEvents.Event(TestDossierEvents.NewMaHoSo(), 2)));

        failure.Failure.ShouldBe(UpstreamFailure.Unavailable);
        failure.Message.ShouldContain("refused the hub's login");
        failure.Message.ShouldContain("Parameters:dstcode");
    }

    [Fact]
    public async Task Hub_without_a_dstcode_refuses_to_start_and_says_which_setting()
    {
        var mock = await PortalMock.StartAsync();
        await using var _ = mock;
        var failure = await Should.ThrowAsync<OptionsValidationException>(() =>
            DestinationHost.StartAsync("Portal", mock, b => b.AddNationalPortalAdapter(), new Dictionary<string, string?> { ["Upstreams:Portal:Parameters:dstcode"] = "" }));

        failure.Message.ShouldContain("Upstreams:portal:Parameters:dstcode is required");
    }
}
