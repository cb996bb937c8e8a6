using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using OneStop.Hub.Host.Internal;

namespace OneStop.Hub.Host;

public static class HubHosting
{
    /// <summary>
    /// The environment of <c>dotnet run --project Hub.Host/OneStop.Hub.Host --environment Standalone</c>: the hub against
    /// <c>mocks/OneStop.Mocks</c> on its fixed ports. <c>dotnet OneStop.Hub.Host.dll --environment Standalone</c> selects it too.
    /// </summary>
    public const string StandaloneEnvironment = "Standalone";

    /// <summary>Exit code of a start refused for configuration (sysexits EX_CONFIG), so a service manager can tell it from a crash.</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>
    /// How the hub is hosted: settings from files in <c>Secrets:Path</c> (one file per setting, named like an
    /// environment variable: <c>Kafka__Client__sasl.password</c>), systemd integration when started by systemd, and
    /// the Standalone environment, which reads <c>appsettings.Development.json</c> (the demo clients, <c>Demo:Enabled</c>)
    /// beneath <c>appsettings.Standalone.json</c>.
    /// </summary>
    public static WebApplicationBuilder AddOneStopHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // `dotnet run --project Hub.Host/OneStop.Hub.Host --environment Standalone`: the .NET SDK's `dotnet run` takes
        // --environment itself (-e NAME=VALUE) and starts the hub with an empty variable named Standalone (and the launch
        // profile's Development environment) instead; that variable asks for the Standalone settings too.
        if (builder.Environment.IsEnvironment(StandaloneEnvironment) || System.Environment.GetEnvironmentVariables().Contains(StandaloneEnvironment))
        {
            // Standalone is the demo against the standalone fakes: appsettings.json, then appsettings.Development.json,
            // then appsettings.Standalone.json, then environment variables and arguments as always.
            var sources = builder.Configuration.Sources;
            foreach (var environmentFile in sources.OfType<JsonConfigurationSource>()
                         .Where(s => s.Path is "appsettings.Development.json" or "appsettings.Standalone.json").ToList())
            {
                sources.Remove(environmentFile);
            }

            var at = sources.IndexOf(sources.OfType<JsonConfigurationSource>().First(s => s.Path == "appsettings.json")) + 1;
            foreach (var file in new[] { "appsettings.Standalone.json", "appsettings.Development.json" })
            {
                var source = new JsonConfigurationSource { Path = file, Optional = false, ReloadOnChange = false, FileProvider = builder.Environment.ContentRootFileProvider };
                sources.Insert(at, source);
            }

            // The mapping files copied next to the binaries: the Development path (the repository's files, relative to
            // the content root) holds only where the content root is the host's project folder.
            sources.Insert(at + 2, new MemoryConfigurationSource
            {
                InitialData = [new("Mappings:Path", Path.Combine(AppContext.BaseDirectory, "Mappings", "files"))],
            });
        }

        var secrets = builder.Configuration["Secrets:Path"];
        if (!string.IsNullOrWhiteSpace(secrets))
        {
            builder.Configuration.AddKeyPerFile(secrets, optional: true);
            builder.Services.AddSingleton<IStartupCheck>(new SecretsFolderCheck(secrets));
        }

        builder.Services.AddSingleton<IStartupCheck, EndpointsFreeCheck>();
        builder.Host.UseSystemd();
        return builder;
    }

    /// <summary>
    /// Checks the configuration (every options validation, then every <see cref="IStartupCheck"/>) before serving.
    /// A problem prints one line naming the setting, on standard error, and the hub exits with
    /// <see cref="ConfigurationExitCode"/>, without a stack trace. Otherwise runs until stopped and returns 0.
    /// </summary>
    public static int RunOneStop(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var problems = ConfigurationProblems.Find(app.Services);
        if (problems.Count == 0)
        {
            try
            {
                app.Run();
                return 0;
            }
            catch (Exception e) when (ConfigurationProblems.FromException(e) is { Count: > 0 } found)
            {
                problems = found;
            }
        }

        if (app.Environment.IsDevelopment() && string.IsNullOrEmpty(app.Configuration["Upstreams:Business:BaseUrl"]))
        {
            // Someone ran the host alone expecting the demo: say where it is before the list of what is missing.
            Console.Error.WriteLine("The demo (the national systems' fakes and an in-memory Kafka) is: dotnet run --project Hub.Host/OneStop.Hub.Demo");
            Console.Error.WriteLine("The host alone needs Kafka and the national systems (docs/deployment.md), or --environment Standalone beside: dotnet run --project mocks/OneStop.Mocks");
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"configuration error: {problem}");
        }

        return ConfigurationExitCode;
    }

    /// <summary>
    /// Each Kestrel endpoint's address is free: a port another process holds is one line naming the setting, rather
    /// than the host's start failure with its stack trace. (Taken between this check and Kestrel's bind, the start
    /// still fails with one line: <see cref="ConfigurationProblems.FromException"/>.)
    /// </summary>
    private sealed class EndpointsFreeCheck(IConfiguration configuration) : IStartupCheck
    {
        public Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            {
                if (!Uri.TryCreate(endpoint["Url"]?.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var url)
                    || url.Port <= 0 || !System.Net.IPAddress.TryParse(url.Host, out var address))
                {
                    continue;
                }

                try
                {
                    using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    probe.Bind(new System.Net.IPEndPoint(address, url.Port));
                }
                catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
                {
                    problems.Add($"Kestrel:Endpoints:{endpoint.Key}:Url: {url.GetLeftPart(UriPartial.Authority)} is in use by another process (stop it, or set a free address)");
                }
            }

            return Task.FromResult<IReadOnlyList<string>>(problems);
        }
    }

    private sealed class SecretsFolderCheck(string path) : IStartupCheck
    {
        public Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(Directory.Exists(path) ? [] : [$"Secrets:Path: folder '{path}' does not exist"]);
    }
}
