using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters;
using OneStop.Mocks;
using OneStop.Schemas.Canonical;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

/// <summary>
/// What every delivery adapter must do against its destination, whatever the destination: run once per
/// adapter against that adapter's fake, each test with a fresh fake and a fresh adapter (so a fresh circuit).
/// The hub delivers at least once; these tests hold the adapter to "effectively once at the destination".
/// Upstream settings: 2 s attempt timeout, 2 retries, breaker opens at 50% of at least 4 calls, for 1 s.
/// </summary>
public abstract class DeliveryCompliance : IAsyncLifetime
{
    private IHost _host = null!;

    protected DestinationMock Mock { get; private set; } = null!;

    protected IDeliveryAdapter Adapter { get; private set; } = null!;

    /// <summary>Configuration name of the destination: <c>Upstreams:&lt;Name&gt;</c>.</summary>
    protected abstract string Name { get; }

    protected abstract Task<DestinationMock> StartMockAsync();

    protected abstract void AddAdapter(IHostApplicationBuilder builder);

    /// <summary>An event this destination wants, whose delivery makes exactly one side effect there.</summary>
    protected abstract DossierEvent Wanted(string maHoSo);

    /// <summary>An event this destination wants but whose mapping cannot produce a request.</summary>
    protected abstract DossierEvent Unmappable(string maHoSo);

    /// <summary>Checks the one side effect <see cref="Wanted"/> made.</summary>
    protected abstract void ShouldBeTheSideEffectOf(DossierEvent dossierEvent, SideEffect sideEffect);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Mock = await StartMockAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(TestDestinationSettings.For(Name, Mock));
        builder.Services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
        AddAdapter(builder);
        _host = builder.Build();
        await _host.StartAsync(Ct);
        Adapter = _host.Services.GetServices<IDeliveryAdapter>().ShouldHaveSingleItem();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await Mock.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, int attempt = 1) =>
        Adapter.DeliverAsync(dossierEvent, TestDossierEvents.CallFor(dossierEvent, Adapter.Destination, attempt), Ct);

    protected async Task<UpstreamException> FailureAsync(DossierEvent dossierEvent) =>
        await Should.ThrowAsync<UpstreamException>(() => DeliverAsync(dossierEvent));

    [Fact]
    public async Task Wanted_event_is_delivered_and_the_destination_records_exactly_one_side_effect()
    {
        var e = Wanted(TestDossierEvents.NewMaHoSo());
        Adapter.Wants(e).ShouldBeTrue();

        var receipt = await DeliverAsync(e);

        receipt.MappingVersion.ShouldNotBeNullOrEmpty();
        var effect = Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem();
        effect.IdempotencyKey.ShouldNotBeNull().ShouldStartWith($"{e.EventId}:{Adapter.Destination}");
        ShouldBeTheSideEffectOf(e, effect);
    }

    [Fact]
    public async Task Repeating_a_delivery_with_the_same_idempotency_key_leaves_one_side_effect()
    {
        // The hub crashed after the side effect and before its checkpoint: the same call comes again.
        var e = Wanted(TestDossierEvents.NewMaHoSo());
        await DeliverAsync(e);

        await DeliverAsync(e, attempt: 2);

        Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem();
        Mock.DuplicatesSuppressed.ShouldBe(1);
    }

    [Fact]
    public async Task Destination_5xx_then_success_is_retried_and_delivers_once()
    {
        var e = Wanted(TestDossierEvents.NewMaHoSo());
        Mock.Faults.Status5xx = 2;

        await DeliverAsync(e);

        Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem();
        Mock.BusinessCalls.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Destination_down_is_reported_unavailable_and_nothing_is_recorded()
    {
        var e = Wanted(TestDossierEvents.NewMaHoSo());
        Mock.Faults.Status5xx = -1;

        var failure = await FailureAsync(e);

        failure.Failure.ShouldBe(UpstreamFailure.Unavailable);
        failure.Upstream.ShouldBe(Adapter.Destination);
        Mock.SideEffectsFor(e.MaHoSo).ShouldBeEmpty();
        Mock.BusinessCalls.ShouldBe(3); // first attempt + 2 retries
    }

    [Fact]
    public async Task Destination_slower_than_the_timeout_is_reported_as_timeout()
    {
        Mock.Faults.LatencyMs = 10_000;

        var failure = await FailureAsync(Wanted(TestDossierEvents.NewMaHoSo()));

        failure.Failure.ShouldBe(UpstreamFailure.Timeout);
    }

    [Fact]
    public async Task Malformed_reply_is_reported_as_malformed_and_not_retried()
    {
        Mock.Faults.MalformedBody = true;

        var failure = await FailureAsync(Wanted(TestDossierEvents.NewMaHoSo()));

        failure.Failure.ShouldBe(UpstreamFailure.MalformedReply);
        Mock.BusinessCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Expired_credentials_are_renewed_and_the_delivery_succeeds()
    {
        var first = Wanted(TestDossierEvents.NewMaHoSo());
        await DeliverAsync(first);
        Mock.Faults.ExpireTokens();

        var second = Wanted(TestDossierEvents.NewMaHoSo());
        await DeliverAsync(second);

        Mock.SideEffectsFor(first.MaHoSo).ShouldHaveSingleItem();
        Mock.SideEffectsFor(second.MaHoSo).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Connection_reset_is_reported_unavailable_and_delivery_succeeds_after_recovery()
    {
        var e = Wanted(TestDossierEvents.NewMaHoSo());
        Mock.Faults.ConnectionReset = true;

        var failure = await FailureAsync(e);
        failure.Failure.ShouldBe(UpstreamFailure.Unavailable);

        Mock.Faults.Clear();
        await DeliverAsync(e, attempt: 2);
        Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Dossier_the_destination_refuses_is_rejected_and_delivered_once_accepted()
    {
        // Rejected parks the dossier at this destination; an operator's replay sends the same call again.
        var e = Wanted(TestDossierEvents.NewMaHoSo());
        Mock.RejectDossier(e.MaHoSo);

        var failure = await FailureAsync(e);

        failure.Failure.ShouldBe(UpstreamFailure.Rejected);
        failure.Upstream.ShouldBe(Adapter.Destination);
        Mock.SideEffectsFor(e.MaHoSo).ShouldBeEmpty();

        Mock.AcceptDossier(e.MaHoSo);
        await DeliverAsync(e, attempt: 2);
        Mock.SideEffectsFor(e.MaHoSo).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Event_that_does_not_map_is_rejected_without_calling_the_destination()
    {
        var e = Unmappable(TestDossierEvents.NewMaHoSo());

        var failure = await FailureAsync(e);

        failure.Failure.ShouldBe(UpstreamFailure.Rejected);
        failure.Message.ShouldContain("required value missing");
        Mock.BusinessCalls.ShouldBe(0);
    }
}
