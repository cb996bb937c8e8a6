[assembly: AssemblyFixture(typeof(OneStop.Mocks.Tests.MocksFixture))]

namespace OneStop.Mocks.Tests;

/// <summary>
/// All four mocks over the default dataset, started once for the assembly. Tests that use it never switch
/// faults on or count calls: those start a mock of their own (<see cref="FaultSwitchTests"/>).
/// </summary>
public sealed class MocksFixture : IAsyncLifetime
{
    private NationalMocks? _mocks;

    public NationalMocks Mocks => _mocks ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _mocks = await NationalMocks.StartAsync(SyntheticDataset.Default);

    public async ValueTask DisposeAsync()
    {
        if (_mocks is not null)
        {
            await _mocks.DisposeAsync();
        }
    }
}
