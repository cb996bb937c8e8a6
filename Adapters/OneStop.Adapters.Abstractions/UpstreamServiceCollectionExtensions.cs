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
    public static IServiceCollection AddUpstream(this IServiceCollection services, string name) =>
        services.AddUpstream(name, UpstreamAuthentication.FromOptions);

    /// <summary>
    /// As <see cref="AddUpstream(IServiceCollection, string)"/>, with the upstream's own authentication scheme
    /// (e.g. the national portal's session login) instead of OAuth2 client credentials.
    /// </summary>
    public static IServiceCollection AddUpstream(
        this IServiceCollection services,
        string name,
        Func<UpstreamAuthContext, IUpstreamAuthentication> authentication)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        services.AddUpstreamOptions(name);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<UpstreamBreakerStates>();

        // Polly logs each attempt's result; by default that is the result's ToString(), i.e. the citizen's record.
        // Log its type only: personal data stays out of logs whatever level an operator sets.
        services.Configure<Polly.Telemetry.TelemetryOptions>(o => o.ResultFormatter = (_, result) => result?.GetType().Name);
        services.AddResiliencePipeline(PipelineKey(name), (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<UpstreamOptions>>().Get(name);
            UpstreamClient.ConfigurePipeline(builder, options, context.ServiceProvider.GetRequiredService<UpstreamBreakerStates>().For(name));
        });

        services.TryAddKeyedSingleton(name, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<UpstreamOptions>>().Get(name);
            var pipeline = sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PipelineKey(name));
            var http = CreateHttpClient(options);
            var auth = authentication(new UpstreamAuthContext(name, http, options, sp.GetRequiredService<TimeProvider>()));
            return new UpstreamClient(name, http, options, pipeline, auth);
        });
        return services;
    }

    /// <summary>
    /// Binds <c>Upstreams:&lt;name&gt;</c> to named <see cref="UpstreamOptions"/> and validates it at start-up, so a hub
    /// missing an upstream's address or credentials refuses to start and names the setting.
    /// </summary>
    public static IServiceCollection AddUpstreamOptions(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddOptions<UpstreamOptions>(name)
            .BindConfiguration($"{Section}:{name}")
            .ValidateDataAnnotations()
            .Validate(o => o.TotalTimeout >= o.AttemptTimeout,
                $"{Section}:{name}: TotalTimeout must be at least AttemptTimeout")
            .Validate(o => o.Auth == UpstreamAuthMode.None || (o.ClientId.Length > 0 && o.ClientSecret.Length > 0),
                $"{Section}:{name}: ClientId and ClientSecret are required when Auth is ClientCredentials")
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Registers <see cref="UpstreamClientFactory"/>: clients for upstreams that appear while the hub runs (generic
    /// upstreams defined by files), with the same HTTP settings, token handling and resilience pipeline as <see cref="AddUpstream"/>
    /// (the registry is added for its pipeline builders, which carry the hub's telemetry).
    /// </summary>
    public static IServiceCollection AddUpstreamClientFactory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipelineRegistry<string>();
        services.AddMetrics();
        services.TryAddSingleton<UpstreamBreakerStates>();
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
/// Makes <see cref="UpstreamClient"/>s for upstreams known only at run time. Each client's pipeline is built by a
/// builder the hub's resilience registry hands out (so its events reach the same telemetry and clock as the others'),
/// but it is not kept in the registry: the registry keeps every pipeline it built for the life of the process, and
/// a definition changed a thousand times would leave a thousand pipelines behind. The pipeline lives as long as its
/// client.
/// </summary>
public sealed class UpstreamClientFactory(IServiceProvider services, TimeProvider time, UpstreamBreakerStates breakers)
{
    public UpstreamClient Create(string name, UpstreamOptions options, string pipelineName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(pipelineName);
        var builder = services.GetRequiredService<ResiliencePipelineBuilder>();
        builder.Name = pipelineName;
        UpstreamClient.ConfigurePipeline(builder, options, breakers.For(name));
        var http = UpstreamServiceCollectionExtensions.CreateHttpClient(options);
        return new UpstreamClient(name, http, options, builder.Build(), UpstreamAuthentication.FromOptions(new UpstreamAuthContext(name, http, options, time)));
    }
}
