using Microsoft.Extensions.Configuration;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Deployment.Tests;

/// <summary><c>--environment Standalone</c> must reach <c>dotnet run --project mocks/OneStop.Mocks</c> as it starts, with no other setting.</summary>
public sealed class StandaloneProfileTests
{
    private static readonly IConfiguration Standalone = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepoPaths.Root, "Hub.Host", "OneStop.Hub.Host", "appsettings.Standalone.json"))
        .Build();

    [Fact]
    public async Task Every_upstream_points_at_the_standalone_fake_with_its_credentials_and_parameters()
    {
        var ports = new Dictionary<string, int>
        {
            ["Population"] = NationalMockPorts.Standalone.Population,
            ["Business"] = NationalMockPorts.Standalone.Business,
            ["Insurance"] = NationalMockPorts.Standalone.Insurance,
            ["Land"] = NationalMockPorts.Standalone.Land,
            ["Portal"] = DestinationMockPorts.Standalone.Portal,
            ["Emc"] = DestinationMockPorts.Standalone.Emc,
            ["Postal"] = DestinationMockPorts.Standalone.Postal,
        };
        Standalone.GetSection("Upstreams").GetChildren().Select(c => c.Key).ShouldBe(ports.Keys, ignoreOrder: true);
        foreach (var (name, port) in ports)
        {
            Standalone[$"Upstreams:{name}:BaseUrl"].ShouldBe($"http://127.0.0.1:{port}/");
            Standalone[$"Upstreams:{name}:ClientId"].ShouldBe(MockServer.DemoClientId);
            Standalone[$"Upstreams:{name}:ClientSecret"].ShouldBe(MockServer.DemoClientSecret);
        }

        Standalone["Evidence:TimestampAuthority"].ShouldBe($"http://127.0.0.1:{TimestampAuthorityMock.StandalonePort}/");

        await using var destinations = await DestinationMocks.StartAsync();
        foreach (var (name, mock) in new (string, DestinationMock)[] { ("Portal", destinations.Portal), ("Emc", destinations.Emc), ("Postal", destinations.Postal) })
        {
            var parameters = Standalone.GetSection($"Upstreams:{name}:Parameters").GetChildren().ToDictionary(c => c.Key, c => c.Value!);
            parameters.ShouldBe(DestinationMocks.DemoParametersFor(mock), ignoreOrder: true);
        }
    }
}
