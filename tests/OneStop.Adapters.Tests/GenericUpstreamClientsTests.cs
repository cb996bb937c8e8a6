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
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
        services.AddLogging();
        GenericUpstreamRegistration.AddGenericUpstreams(services);
        using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<GenericUpstreamClients>();
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
}
