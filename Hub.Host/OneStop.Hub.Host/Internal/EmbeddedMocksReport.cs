using OneStop.Mocks;

namespace OneStop.Hub.Host.Internal;

/// <summary>Says loudly, at start, that the national systems are fakes and where they listen.</summary>
internal sealed partial class EmbeddedMocksReport(NationalMocks mocks, DestinationMocks destinations, ILogger<EmbeddedMocksReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var mock in mocks.All.Concat<MockServer>(destinations.All))
        {
            LogMock(logger, mock.Name, mock.Url);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Upstreams: none configured, so the hub started the FAKE national system {Name} in process at {Url} (synthetic data, demo and tests only)")]
    private static partial void LogMock(ILogger logger, string name, Uri url);
}
