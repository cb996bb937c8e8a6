using Microsoft.Extensions.Configuration;

namespace OneStop.Hub;

/// <summary>
/// A check the host runs before it starts serving, after every options validation passed: things options cannot
/// see, such as how the Kafka cluster's topics are set up. Each problem is one line that names the setting or the
/// resource; any problem stops the start.
/// </summary>
public interface IStartupCheck
{
    Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Demo parts (librdkafka's in-memory cluster, the fake national systems) run only when <c>Demo:Enabled</c> is true:
/// <c>appsettings.Development.json</c> and the demo launcher set it, production never does.
/// </summary>
public static class DemoMode
{
    public const string EnabledKey = "Demo:Enabled";

    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool>(EnabledKey);
    }
}
