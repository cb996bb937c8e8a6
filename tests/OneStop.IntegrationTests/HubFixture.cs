using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.IntegrationTests;

/// <summary>The real host on loopback ports, pointed at its own in-process fake national systems.</summary>
public sealed class HubFixture : IAsyncLifetime
{
    public TestSystems Systems { get; private set; } = null!;

    public NationalMocks Mocks => Systems.National;

    public HubServer Hub { get; private set; } = null!;

    public SyntheticDataset Data => SyntheticDataset.Default;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        Hub = HubServer.Start(Systems.Settings());
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}
