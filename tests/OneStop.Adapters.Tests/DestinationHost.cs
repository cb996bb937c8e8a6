using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneStop.Mocks;
using OneStop.Schemas.Canonical;
using OneStop.Testing;

namespace OneStop.Adapters.Tests;

/// <summary>One delivery adapter in a host, pointed at its fake; settings can be overridden per test.</summary>
internal sealed class DestinationHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DestinationHost(IHost host, DestinationMock mock)
    {
        _host = host;
        Mock = mock;
        Adapter = host.Services.GetServices<IDeliveryAdapter>().Single();
    }

    public DestinationMock Mock { get; }

    public IDeliveryAdapter Adapter { get; }

    public static async Task<DestinationHost> StartAsync(
        string name,
        DestinationMock mock,
        Action<IHostApplicationBuilder> addAdapter,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        var settings = TestDestinationSettings.For(name, mock);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
        addAdapter(builder);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new DestinationHost(host, mock);
    }

    public Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, int attempt = 1, bool deliveredBefore = false) =>
        Adapter.DeliverAsync(dossierEvent, TestDossierEvents.CallFor(dossierEvent, Adapter.Destination, attempt, deliveredBefore), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await Mock.DisposeAsync();
    }
}
