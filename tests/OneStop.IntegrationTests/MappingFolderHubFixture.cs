using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.IntegrationTests;

/// <summary>
/// The real host reading a copy of the mapping folder that tests change while it runs (polling quickly, so a
/// change is seen soon even without file-system events), with the national fakes and the civil-status registry.
/// </summary>
public sealed class MappingFolderHubFixture : IAsyncLifetime
{
    public TestSystems Systems { get; private set; } = null!;

    public NationalMocks Mocks => Systems.National;

    public CivilStatusMock CivilStatus { get; private set; } = null!;

    public MappingFolderCopy Folder { get; } = new();

    public HubServer Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        CivilStatus = await CivilStatusMock.StartAsync();
        var settings = Systems.Settings();
        settings["Mappings:Path"] = Folder.Files;
        settings["Mappings:PollInterval"] = "00:00:00.200";
        settings["Mappings:Debounce"] = "00:00:00.100";
        // Operations put the registry's secret in configuration; the integrator's files never hold it.
        settings["Upstreams:civil-status:ClientSecret"] = MockServer.DemoClientSecret;
        // The classes sharing this hub (generated SOAP messages, polling for a reload) send thousands of calls as the
        // demo client; they test mappings and SOAP, not the rate limit (SecurityTests does), so the bucket is wide.
        settings["Security:RateLimit:PermitsPerPeriod"] = "100000";
        settings["Security:RateLimit:Burst"] = "100000";
        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await CivilStatus.DisposeAsync();
        await Systems.DisposeAsync();
        Folder.Dispose();
    }
}
