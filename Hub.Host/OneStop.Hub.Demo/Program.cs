using OneStop.Hub;
using OneStop.Hub.Host;
using OneStop.Mocks;

namespace OneStop.Hub.Demo;

/// <summary>
/// <c>dotnet run --project Hub.Host/OneStop.Hub.Demo</c>: the demo. Starts the fake national systems from mocks/ on free
/// loopback ports, then runs the hub's own entry point in the Development environment with <c>Demo:Enabled=true</c>
/// (the demo clients, the in-memory Kafka cluster) and the fakes' addresses as command-line settings. Arguments are
/// passed on to the hub and win over the demo's.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        await using var national = await NationalMocks.StartAsync(SyntheticDataset.Default).ConfigureAwait(false);
        await using var destinations = await DestinationMocks.StartAsync().ConfigureAwait(false);

        var settings = new Dictionary<string, string>
        {
            ["environment"] = "Development",
            ["contentRoot"] = AppContext.BaseDirectory,
            [DemoMode.EnabledKey] = "true",
        };
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

        var hub = typeof(HubHosting).Assembly.EntryPoint ?? throw new InvalidOperationException("OneStop.Hub.Host has no entry point");
        string[] hubArgs = [.. settings.Select(kv => $"--{kv.Key}={kv.Value}"), .. args];
        return hub.Invoke(null, [hubArgs]) is int code ? code : 0;
    }
}
