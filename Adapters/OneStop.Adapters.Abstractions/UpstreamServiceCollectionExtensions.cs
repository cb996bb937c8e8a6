using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OneStop.Mappings;
using Polly;
using Polly.Registry;

namespace OneStop.Adapters;

public static class UpstreamServiceCollectionExtensions
{
    /// <summary>Configuration section that holds every upstream: <c>Upstreams:&lt;Name&gt;</c>.</summary>
    public const string Section = "Upstreams";

    /// <summary>
    /// Registers upstream <paramref name="name"/>: options bound from <c>Upstreams:&lt;name&gt;</c> and validated at
    /// start-up, its resilience pipeline, and a keyed <see cref="UpstreamClient"/> (key = name).
    /// </summary>
    public static IServiceCollection AddUpstream(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        services.AddOptions<UpstreamOptions>(name)
            .BindConfiguration($"{Section}:{name}")
            .ValidateDataAnnotations()
            .Validate(o => o.TotalTimeout >= o.AttemptTimeout,
                $"{Section}:{name}: TotalTimeout must be at least AttemptTimeout")
            .Validate(o => o.Auth == UpstreamAuthentication.None || (o.ClientId.Length > 0 && o.ClientSecret.Length > 0),
                $"{Section}:{name}: ClientId and ClientSecret are required when Auth is ClientCredentials")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipeline(PipelineKey(name), (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<UpstreamOptions>>().Get(name);
            UpstreamClient.ConfigurePipeline(builder, options);
        });

        services.TryAddKeyedSingleton(name, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<UpstreamOptions>>().Get(name);
            var pipeline = sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PipelineKey(name));
            return new UpstreamClient(name, CreateHttpClient(options), options, pipeline, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>
    /// Registers <see cref="UpstreamClientFactory"/>: clients for upstreams that appear while the hub runs (generic
    /// upstreams defined by files), with the same HTTP settings, token handling and resilience pipeline as <see cref="AddUpstream"/>.
    /// </summary>
    public static IServiceCollection AddUpstreamClientFactory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipelineRegistry<string>();
        services.TryAddSingleton<UpstreamClientFactory>();
        return services;
    }

    internal static HttpClient CreateHttpClient(UpstreamOptions options) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.AttemptTimeout,
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        BaseAddress = options.BaseUrl,
        Timeout = Timeout.InfiniteTimeSpan, // the pipeline owns every timeout
    };

    private static string PipelineKey(string name) => $"upstream-{name}";
}

/// <summary>
/// Makes <see cref="UpstreamClient"/>s for upstreams known only at run time. Each client's pipeline lives in the
/// hub's resilience registry under the key given (so its events reach the same telemetry as the others'); give a
/// new key when the settings change, since a registered pipeline keeps its settings.
/// </summary>
public sealed class UpstreamClientFactory(ResiliencePipelineRegistry<string> pipelines, TimeProvider time)
{
    public UpstreamClient Create(string name, UpstreamOptions options, string pipelineKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(pipelineKey);
        var pipeline = pipelines.GetOrAddPipeline(pipelineKey, builder => UpstreamClient.ConfigurePipeline(builder, options));
        return new UpstreamClient(name, UpstreamServiceCollectionExtensions.CreateHttpClient(options), options, pipeline, time);
    }
}
