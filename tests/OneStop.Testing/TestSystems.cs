using OneStop.Mocks;

namespace OneStop.Testing;

/// <summary>Every fake outside system a hub talks to (national databases and destinations), with the settings that point a hub at them.</summary>
public sealed class TestSystems : IAsyncDisposable
{
    private TestSystems(NationalMocks national, DestinationMocks destinations)
    {
        National = national;
        Destinations = destinations;
    }

    public NationalMocks National { get; }

    public DestinationMocks Destinations { get; }

    public static async Task<TestSystems> StartAsync() =>
        new(await NationalMocks.StartAsync(SyntheticDataset.Default).ConfigureAwait(false), await DestinationMocks.StartAsync().ConfigureAwait(false));

    /// <summary>Upstream settings for all seven systems (short timeouts, quick breaker); add to them freely.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = TestUpstreamSettings.ForAll(National);
        foreach (var (key, value) in TestDestinationSettings.ForAll(Destinations))
        {
            settings[key] = value;
        }

        return settings;
    }

    public void ClearFaults()
    {
        National.ClearFaults();
        Destinations.ClearFaults();
    }

    public async ValueTask DisposeAsync()
    {
        await Destinations.DisposeAsync().ConfigureAwait(false);
        await National.DisposeAsync().ConfigureAwait(false);
    }
}
