using Microsoft.Extensions.Configuration;
using OneStop.Hub;
using OneStop.Hub.Host;
using OneStop.Mocks;

namespace OneStop.Hub.Demo;

/// <summary>
/// <c>dotnet run --project Hub.Host/OneStop.Hub.Demo</c>: the demo. Starts the fake national systems from mocks/ on free
/// loopback ports (and a fake time-stamping authority unless <c>Evidence:TimestampAuthority</c> is set), submits a few
/// online dossiers at the portal fake for the agencies in <c>Inbound:Agencies</c> so the pull jobs have work, then runs
/// the hub's own entry point in the Development environment with <c>Demo:Enabled=true</c> (the demo clients, the
/// in-memory Kafka cluster) and the fakes' addresses as command-line settings. The content root is the host project's
/// folder when the launcher runs from the repository, so the hub reads its settings there and watches the
/// repository's <c>Mappings/files</c> (<c>Mappings:Path</c> of appsettings.Development.json). Arguments are passed on to
/// the hub and win over the demo's.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var hostFolder = HostProjectFolder();
        var contentRoot = hostFolder ?? AppContext.BaseDirectory;

        // What the hub will read (the same files, environment and arguments), for the two choices made here.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(contentRoot, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(contentRoot, "appsettings.Development.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

        await using var national = await NationalMocks.StartAsync(SyntheticDataset.Default).ConfigureAwait(false);
        await using var destinations = await DestinationMocks.StartAsync().ConfigureAwait(false);
        await using var tsa = configuration["Evidence:TimestampAuthority"] is { Length: > 0 } ? null : await TimestampAuthorityMock.StartAsync().ConfigureAwait(false);

        // Citizens have already submitted a few dossiers online for the agencies the hub pulls for, so the demo's
        // pull jobs have something to bring in within their first run.
        foreach (var agency in configuration.GetSection("Inbound:Agencies").Get<string[]>() ?? [])
        {
            for (var i = 0; i < 3; i++)
            {
                destinations.Portal.SubmitOnline(agency);
            }
        }

        var settings = new Dictionary<string, string>
        {
            ["environment"] = "Development",
            ["contentRoot"] = contentRoot,
            [DemoMode.EnabledKey] = "true",
        };
        if (hostFolder is null)
        {
            // Not in the repository (a copied build): the mapping files copied next to the binaries.
            settings["Mappings:Path"] = Path.Combine(AppContext.BaseDirectory, "Mappings", "files");
        }

        foreach (var (name, mock) in new (string, MockServer)[]
                 {
                     ("Population", national.Population), ("Business", national.Business), ("Insurance", national.Insurance), ("Land", national.Land),
                     ("Portal", destinations.Portal), ("Emc", destinations.Emc), ("Postal", destinations.Postal),
                 })
        {
            settings[$"Upstreams:{name}:BaseUrl"] = mock.Url.ToString();
            settings[$"Upstreams:{name}:ClientId"] = MockServer.DemoClientId;
            settings[$"Upstreams:{name}:ClientSecret"] = MockServer.DemoClientSecret;
            if (mock is DestinationMock destination)
            {
                foreach (var (key, value) in DestinationMocks.DemoParametersFor(destination))
                {
                    settings[$"Upstreams:{name}:Parameters:{key}"] = value;
                }
            }

            Console.WriteLine($"DEMO: fake national system {mock.Name} (synthetic data) at {mock.Url}");
        }

        if (tsa is not null)
        {
            settings["Evidence:TimestampAuthority"] = tsa.Url.ToString();
            Console.WriteLine($"DEMO: fake time-stamping authority (RFC 3161, test key) at {tsa.Url}");
        }

        var hub = typeof(HubHosting).Assembly.EntryPoint ?? throw new InvalidOperationException("OneStop.Hub.Host has no entry point");
        string[] hubArgs = [.. settings.Select(kv => $"--{kv.Key}={kv.Value}"), .. args];
        return hub.Invoke(null, [hubArgs]) is int code ? code : 0;
    }

    /// <summary>The host project's folder in the repository this launcher was built in, or null (a copied build).</summary>
    private static string? HostProjectFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var host = Path.Combine(folder.FullName, "Hub.Host", "OneStop.Hub.Host");
            if (File.Exists(Path.Combine(host, "OneStop.Hub.Host.csproj")))
            {
                return host;
            }
        }

        return null;
    }
}
