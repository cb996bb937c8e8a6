using OneStop.Mocks;

namespace OneStop.Hub.Host;

public static class EmbeddedNationalSystems
{
    /// <summary>The upstreams the hub ships adapters for, as named under <c>Upstreams:</c>.</summary>
    public static readonly string[] Upstreams = ["Population", "Business", "Insurance", "Land", "Portal", "Emc", "Postal"];

    /// <summary>
    /// When no upstream has a <c>BaseUrl</c>, starts the fake national systems from mocks/ in process on
    /// free loopback ports and points the adapters at them (demo and tests). When any upstream is
    /// configured, the hub runs against the configured systems only.
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedNationalSystemsWhenUnconfigured(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = Upstreams.Any(u => !string.IsNullOrWhiteSpace(builder.Configuration[$"Upstreams:{u}:BaseUrl"]));
        if (configured)
        {
            return builder;
        }

        var mocks = NationalMocks.StartAsync(SyntheticDataset.Default).GetAwaiter().GetResult();
        var destinations = DestinationMocks.StartAsync().GetAwaiter().GetResult();

        // Citizens have already submitted a few dossiers online for the agencies the hub pulls for, so the demo's
        // pull jobs have something to bring in within their first run.
        foreach (var agency in builder.Configuration.GetSection("Inbound:Agencies").Get<string[]>() ?? [])
        {
            for (var i = 0; i < 3; i++)
            {
                destinations.Portal.SubmitOnline(agency);
            }
        }

        var settings = new Dictionary<string, string?>();
        foreach (var (name, mock) in new (string, MockServer)[]
                 {
                     ("Population", mocks.Population), ("Business", mocks.Business),
                     ("Insurance", mocks.Insurance), ("Land", mocks.Land),
                 })
        {
            settings[$"Upstreams:{name}:BaseUrl"] = mock.Url.ToString();
            settings[$"Upstreams:{name}:ClientId"] = MockServer.DemoClientId;
            settings[$"Upstreams:{name}:ClientSecret"] = MockServer.DemoClientSecret;
        }

        foreach (var (name, mock) in new (string, DestinationMock)[] { ("Portal", destinations.Portal), ("Emc", destinations.Emc), ("Postal", destinations.Postal) })
        {
            settings[$"Upstreams:{name}:BaseUrl"] = mock.Url.ToString();
            settings[$"Upstreams:{name}:ClientId"] = MockServer.DemoClientId;
            settings[$"Upstreams:{name}:ClientSecret"] = MockServer.DemoClientSecret;
            foreach (var (key, value) in DestinationMocks.DemoParametersFor(mock))
            {
                settings[$"Upstreams:{name}:Parameters:{key}"] = value;
            }
        }

        if (builder.Configuration["Evidence:TimestampAuthority"] is not { Length: > 0 })
        {
            var tsa = TimestampAuthorityMock.StartAsync().GetAwaiter().GetResult();
            settings["Evidence:TimestampAuthority"] = tsa.Url.ToString();
            builder.Services.AddSingleton(_ => tsa);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(_ => mocks); // factory registrations: disposed (fakes stopped) with the host
        builder.Services.AddSingleton(_ => destinations);
        builder.Services.AddHostedService<Internal.EmbeddedMocksReport>();
        return builder;
    }
}
