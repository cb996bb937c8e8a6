using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters.Emc;
using OneStop.Adapters.NationalPortal;
using OneStop.Adapters.Postal;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

public sealed class DeliveryRegistrationTests
{
    [Fact]
    public async Task The_three_destinations_resolve_together_as_delivery_adapters_once_each()
    {
        await using var mocks = await DestinationMocks.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(TestDestinationSettings.ForAll(mocks));
        builder.Services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
        builder.AddNationalPortalAdapter().AddEmcAdapter().AddPostalAdapter();
        builder.AddNationalPortalAdapter(); // registering twice changes nothing

        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        host.Services.GetServices<IDeliveryAdapter>().Select(a => a.Destination).ShouldBe(["portal", "emc", "postal"]);
        await host.StopAsync(CancellationToken.None);
    }
}
