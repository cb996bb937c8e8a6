using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneStop.Testing;

/// <summary>
/// The real hub (its Program) on real Kestrel sockets: gRPC (h2c) and HTTP/1.1 on loopback ports the OS picks when
/// Kestrel binds (port 0, read back after the start: no window in which another process can take a port picked
/// beforehand), with the settings a test gives. Log lines are captured in <see cref="Logs"/>.
/// </summary>
public sealed class HubServer : IAsyncDisposable
{
    private readonly Factory _factory;

    private readonly string? _ownStatePath;

    private HubServer(Factory factory, string scheme, int grpcPort, int httpPort, string? ownStatePath)
    {
        _factory = factory;
        _ownStatePath = ownStatePath;
        GrpcAddress = new Uri($"{scheme}://127.0.0.1:{grpcPort}");
        HttpAddress = new Uri($"{scheme}://127.0.0.1:{httpPort}");
        Grpc = GrpcChannel.ForAddress(GrpcAddress);
    }

    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

    /// <summary>A channel to the gRPC port, shared by the tests of a fixture.</summary>
    public GrpcChannel Grpc { get; }

    public CapturedLogs Logs => _factory.Logs;

    public IServiceProvider Services => _factory.Services;

    /// <param name="settings">Configuration on top of appsettings.json and the demo settings (<see cref="DemoSettings"/>).</param>
    /// <param name="services">Extra registrations after the hub's own, e.g. a test destination adapter.</param>
    /// <param name="scheme"><c>https</c> for TLS on both ports: the settings then name the certificate
    /// (<c>Kestrel:Endpoints:Grpc:Certificate:Path</c> and <c>…:Http:Certificate:Path</c>).</param>
    public static HubServer Start(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string scheme = "http")
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Hosts in one test process must not share a local state store; a test may name one to restart on it.
        var ownStatePath = settings.TryGetValue("State:Path", out var path) && path is not null
            ? null : Path.Combine(Path.GetTempPath(), "onestop-tests", $"state-{Guid.NewGuid():N}");
        var all = new Dictionary<string, string?>(DemoSettings.Under(settings))
        {
            ["State:Path"] = path ?? ownStatePath,
            ["Kestrel:Endpoints:Grpc:Url"] = $"{scheme}://127.0.0.1:0",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Http:Url"] = $"{scheme}://127.0.0.1:0",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
        };
        var factory = new Factory(all, services);
        factory.UseKestrel();
        factory.StartServer();
        return new HubServer(factory, scheme, factory.BoundPort("Grpc"), factory.BoundPort("Http"), ownStatePath);
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        Grpc.Dispose();
        await _factory.DisposeAsync().ConfigureAwait(false);
        if (_ownStatePath is not null)
        {
            await DeleteStateFolderAsync(_ownStatePath).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes the hub's temporary state folder. A file can still appear in it while the recursive delete runs (seen
    /// once: "Directory not empty" right after the host was disposed), so the delete is tried again a few times; a
    /// folder that still cannot be removed stays in the temp directory rather than failing the test that used it.
    /// </summary>
    private static async Task DeleteStateFolderAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, ListenOptions> _endpoints = [];

        public CapturedLogs Logs { get; } = new();

        /// <summary>The port Kestrel bound for the named endpoint (its configured port is 0).</summary>
        public int BoundPort(string endpoint) =>
            _endpoints.TryGetValue(endpoint, out var listen) && listen.IPEndPoint is { Port: > 0 } bound
                ? bound.Port
                : throw new InvalidOperationException($"Kestrel endpoint '{endpoint}' was not bound");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            // Found from the repository rather than from a manifest in the working directory, so the host starts the
            // same way from a test runner and from `dotnet run` of a benchmark.
            builder.UseContentRoot(Path.Combine(RepoPaths.Root, "Hub.Host", "OneStop.Hub.Host"));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureKestrel((context, kestrel) =>
            {
                var loader = kestrel.ConfigurationLoader ?? kestrel.Configure(context.Configuration.GetSection("Kestrel"));
                foreach (var name in new[] { "Grpc", "Http" })
                {
                    loader.Endpoint(name, endpoint => _endpoints[name] = endpoint.ListenOptions);
                }
            });
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
