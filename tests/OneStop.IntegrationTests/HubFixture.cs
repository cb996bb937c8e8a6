using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.IntegrationTests;

/// <summary>The real host on loopback ports, pointed at its own in-process fake national systems.</summary>
public sealed class HubFixture : IAsyncLifetime
{
    public NationalMocks Mocks { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public SyntheticDataset Data => SyntheticDataset.Default;

    public async ValueTask InitializeAsync()
    {
        Mocks = await NationalMocks.StartAsync(SyntheticDataset.Default);
        Hub = HubServer.Start(TestUpstreamSettings.ForAll(Mocks));
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Mocks.DisposeAsync();
    }
}
