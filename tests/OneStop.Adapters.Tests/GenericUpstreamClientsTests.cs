using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OneStop.Adapters.Generic;
using OneStop.Mappings;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

/// <summary>
/// An upstream whose settings change while the hub runs gets a new client; the one it replaces keeps serving the calls
/// that started on it and is then disposed, so a hub whose settings are reloaded for months does not keep every
/// client (and its HTTP connections) it ever made.
/// </summary>
public sealed class GenericUpstreamClientsTests
{
    [Fact]
    public void A_client_superseded_by_a_settings_change_is_disposed_once_its_longest_call_can_have_ended()
    {
        using var hub = new Clients();
        var (clock, configuration, clients) = (hub.Clock, hub.Configuration, hub.Upstreams);
        var business = CatalogMappingSource.Shipped.Current.Upstreams.Single(u => u.Id == BuiltInLookups.Business);

        var first = clients.For(business);
        clients.For(business).ShouldBeSameAs(first, "unchanged settings keep the client");

        configuration["Upstreams:business:TotalTimeout"] = "00:00:20";
        configuration.Reload();
        var second = clients.For(business);

        second.ShouldNotBeSameAs(first);
        second.Options.TotalTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        clients.Count.ShouldBe(1, "only the current client is handed out");
        clients.Retiring.ShouldBe(1, "the old client still serves the calls that started on it");

        clock.Advance(first.Options.TotalTimeout + GenericUpstreamClients.RetireMargin - TimeSpan.FromSeconds(1));
        clients.Retiring.ShouldBe(1);
        clock.Advance(TimeSpan.FromSeconds(2));
        clients.Retiring.ShouldBe(0, "disposed once its total timeout and the margin have passed");
        clients.For(business).ShouldBeSameAs(second);
    }

    [Fact]
    public void Superseded_clients_and_their_resilience_pipelines_are_released_once_retired()
    {
        using var hub = new Clients();
        var (clock, configuration, clients) = (hub.Clock, hub.Configuration, hub.Upstreams);
        var business = CatalogMappingSource.Shipped.Current.Upstreams.Single(u => u.Id == BuiltInLookups.Business);

        var superseded = SupersedeTwentyTimes(clients, configuration, business);
        clock.Advance(TimeSpan.FromMinutes(5));
        clients.Retiring.ShouldBe(0);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        superseded.Count(w => w.IsAlive).ShouldBe(0,
            "a settings change a day for years must not leave a pipeline (limiter, breaker, telemetry) behind for each one");
        clients.For(business).ShouldNotBeNull("the current client still serves");
    }

    // Not inlined: no local of the test method may keep a superseded pipeline alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<WeakReference> SupersedeTwentyTimes(GenericUpstreamClients clients, IConfigurationRoot configuration, UpstreamDefinition business)
    {
        var superseded = new List<WeakReference>();
        for (var i = 0; i < 20; i++)
        {
            superseded.Add(new WeakReference(clients.For(business).Pipeline));
            configuration["Upstreams:business:TotalTimeout"] = $"00:00:{20 + i}";
            configuration.Reload();
        }

        clients.For(business).Options.TotalTimeout.ShouldBe(TimeSpan.FromSeconds(39));
        return superseded;
    }

    /// <summary>The hub's generic upstream clients over the shipped catalog, with a settable configuration and a fake clock.</summary>
    private sealed class Clients : IDisposable
    {
        private readonly ServiceProvider _provider;

        public Clients()
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(Configuration);
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
            services.AddLogging();
            GenericUpstreamRegistration.AddGenericUpstreams(services);
            _provider = services.BuildServiceProvider();
            Upstreams = _provider.GetRequiredService<GenericUpstreamClients>();
        }

        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));

        public IConfigurationRoot Configuration { get; } = new ConfigurationBuilder().AddInMemoryCollection().Build();

        public GenericUpstreamClients Upstreams { get; }

        public void Dispose() => _provider.Dispose();
    }
}
