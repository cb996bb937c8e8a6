namespace OneStop.Mocks;

/// <summary>Ports for <see cref="NationalMocks.StartAsync"/>; 0 picks a free port.</summary>
public sealed record NationalMockPorts
{
    public int Population { get; init; }
    public int Business { get; init; }
    public int Insurance { get; init; }
    public int Land { get; init; }

    /// <summary>Every mock on a free port (tests).</summary>
    public static NationalMockPorts Dynamic { get; } = new();

    /// <summary>The fixed ports of docs/adapters.md: population 5091, business 5092, insurance 5093, land 5094.</summary>
    public static NationalMockPorts Standalone { get; } = new() { Population = 5091, Business = 5092, Insurance = 5093, Land = 5094 };
}

/// <summary>All four national mocks over one dataset, bound to 127.0.0.1 only.</summary>
public sealed class NationalMocks : IAsyncDisposable
{
    private NationalMocks(SyntheticDataset data, PopulationMock population, BusinessMock business, InsuranceMock insurance, LandMock land)
    {
        Data = data;
        Population = population;
        Business = business;
        Insurance = insurance;
        Land = land;
        All = [population, business, insurance, land];
    }

    public SyntheticDataset Data { get; }

    public PopulationMock Population { get; }

    public BusinessMock Business { get; }

    public InsuranceMock Insurance { get; }

    public LandMock Land { get; }

    /// <summary>Population, business, insurance, land: in that order.</summary>
    public IReadOnlyList<MockServer> All { get; }

    /// <summary>Starts the four mocks (free ports unless <paramref name="ports"/> says otherwise). If one fails, the others are stopped.</summary>
    public static async Task<NationalMocks> StartAsync(SyntheticDataset data, NationalMockPorts? ports = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ports ??= NationalMockPorts.Dynamic;
        var started = new List<MockServer>();
        try
        {
            var population = await Track(PopulationMock.StartAsync(data, ports.Population, timeProvider)).ConfigureAwait(false);
            var business = await Track(BusinessMock.StartAsync(data, ports.Business, timeProvider)).ConfigureAwait(false);
            var insurance = await Track(InsuranceMock.StartAsync(data, ports.Insurance, timeProvider)).ConfigureAwait(false);
            var land = await Track(LandMock.StartAsync(data, ports.Land, timeProvider)).ConfigureAwait(false);
            return new NationalMocks(data, population, business, insurance, land);
        }
        catch
        {
            foreach (var mock in started)
            {
                await mock.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        async Task<T> Track<T>(Task<T> starting)
            where T : MockServer
        {
            var mock = await starting.ConfigureAwait(false);
            started.Add(mock);
            return mock;
        }
    }

    /// <summary>Clears the fault switches of every mock.</summary>
    public void ClearFaults()
    {
        foreach (var mock in All)
        {
            mock.Faults.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var mock in All)
        {
            await mock.DisposeAsync().ConfigureAwait(false);
        }
    }
}
