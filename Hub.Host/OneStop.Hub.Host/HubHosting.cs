using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using OneStop.Hub.Host.Internal;

namespace OneStop.Hub.Host;

public static class HubHosting
{
    /// <summary>The environment of <c>dotnet run --project Hub.Host/OneStop.Hub.Host --environment Standalone</c>: the hub against <c>mocks/OneStop.Mocks</c> on its fixed ports.</summary>
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
        if (builder.Environment.IsEnvironment(StandaloneEnvironment))
        {
            var sources = builder.Configuration.Sources;
            var standalone = sources.OfType<JsonConfigurationSource>().FirstOrDefault(s => s.Path == $"appsettings.{StandaloneEnvironment}.json");
            var at = standalone is null ? sources.Count : sources.IndexOf(standalone);
            var development = new JsonConfigurationSource { Path = "appsettings.Development.json", Optional = false, ReloadOnChange = false };
            development.ResolveFileProvider();
            development.FileProvider ??= builder.Environment.ContentRootFileProvider;
            sources.Insert(at, development);
        }

        var secrets = builder.Configuration["Secrets:Path"];
        if (!string.IsNullOrWhiteSpace(secrets))
        {
            builder.Configuration.AddKeyPerFile(secrets, optional: true);
            builder.Services.AddSingleton<IStartupCheck>(new SecretsFolderCheck(secrets));
        }

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

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"configuration error: {problem}");
        }

        return ConfigurationExitCode;
    }

    private sealed class SecretsFolderCheck(string path) : IStartupCheck
    {
        public Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(Directory.Exists(path) ? [] : [$"Secrets:Path: folder '{path}' does not exist"]);
    }
}
