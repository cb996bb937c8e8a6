using OneStop.Hub.Security;
using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.IntegrationTests;

/// <summary>
/// The real host with the demo clients plus test clients: one bound to a purpose, one with a tiny rate limit
/// that never refills during a test (so the limit is hit by count, not by timing), one with dossier rights on
/// one agency only.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string PurposeKey = "purpose-bound-key";
    public const string ThrottledKey = "throttled-key";

    public TestSystems Systems { get; private set; } = null!;


    public NationalMocks Mocks { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public static Dictionary<string, string?> Clients() => new()
    {
        ["Security:Clients:purpose-bound:ApiKeyHash"] = ApiKeys.Hash(PurposeKey),
        ["Security:Clients:purpose-bound:Operations:0"] = "LookupService/*",
        ["Security:Clients:purpose-bound:Purposes:0"] = "tiep-nhan-ho-so",
        ["Security:Clients:purpose-bound:Agencies:0"] = "*.H56",
        ["Security:Clients:throttled:ApiKeyHash"] = ApiKeys.Hash(ThrottledKey),
        ["Security:Clients:throttled:Operations:0"] = "LookupService/*",
        ["Security:Clients:throttled:RateLimit:PermitsPerPeriod"] = "1",
        ["Security:Clients:throttled:RateLimit:Burst"] = "3",
        ["Security:Clients:throttled:RateLimit:Period"] = "01:00:00",
    };

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        Mocks = Systems.National;
        var settings = Systems.Settings();
        foreach (var (k, v) in Clients())
        {
            settings[k] = v;
        }

        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}
