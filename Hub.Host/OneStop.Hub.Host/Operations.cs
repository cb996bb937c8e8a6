using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OneStop.Hub.Diagnostics;
using Prometheus;

namespace OneStop.Hub.Host;

public static class Operations
{
    /// <summary>Health checks, Prometheus metrics and the start-up report.</summary>
    public static WebApplicationBuilder AddOneStopOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck<MappingsReadinessCheck>("mappings", tags: [HubHealth.Ready]);
        builder.Services.AddSingleton<Internal.ReadinessGauge>();
        builder.Services.AddSingleton<Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheckPublisher>(sp => sp.GetRequiredService<Internal.ReadinessGauge>());
        builder.Services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(o =>
        {
            o.Predicate = c => c.Tags.Contains(HubHealth.Ready);
            o.Delay = TimeSpan.FromSeconds(1);
            o.Period = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubMetrics>());
        builder.Services.AddHostedService<Internal.StartupReport>();
        builder.AddOneStopTracing();
        builder.AddOneStopConsole();
        return builder;
    }

    /// <summary>
    /// On the HTTP/1.1 port: <c>/health/live</c> (the process answers), <c>/health/ready</c> (every check tagged
    /// <see cref="HubHealth.Ready"/>: Kafka, mappings, evidence chain, consumers; 503 and JSON naming what is not ready),
    /// <c>/health</c> (every check) and <c>/metrics</c> (Prometheus text format).
    /// </summary>
    public static WebApplication MapOneStopOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Internal.HealthJson.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HubHealth.Ready), ResponseWriter = Internal.HealthJson.WriteAsync });
        app.MapHealthChecks("/health");
        app.MapMetrics("/metrics", app.Services.GetRequiredService<HubMetrics>().Registry);
        app.MapOneStopConsole();
        return app;
    }

    /// <summary>The addresses Kestrel actually listens on (after start).</summary>
    public static IReadOnlyCollection<string> ListeningAddresses(this IServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
    }
}

/// <summary>
/// Publishes this host's .NET meters (lookups, evidence, breakers, mapping reloads, resilience events, Kestrel,
/// ASP.NET Core), the HttpClient and runtime meters, and process statistics in Prometheus format, in a registry of
/// its own. Started with the host rather than on the first scrape, so nothing measured before the first scrape is
/// missed.
/// </summary>
internal sealed class HubMetrics(IMeterFactory meters, IServiceProvider services) : IHostedService, IDisposable
{
    /// <summary>Meters that are not made by the host's factory: HttpClient (upstream calls), the runtime, Polly.</summary>
    private static readonly HashSet<string> SharedMeters = new(StringComparer.Ordinal)
    {
        "System.Net.Http", "System.Net.NameResolution", "System.Runtime", "Polly",
    };

    /// <summary>
    /// Instruments measured several times per exchange that say nothing the exported ones do not, left out because
    /// exporting each measurement costs CPU on every call (profiled: the adapter was 5–8 % of the hub's CPU):
    /// Kestrel's memory pool (every buffer rented and returned), HttpClient's per-request connection and queue
    /// gauges (<c>http.client.request.duration</c> stays), and Polly's per-call durations (its resilience events
    /// stay; the call durations are the HttpClient and lookup histograms).
    /// </summary>
    private static readonly HashSet<string> PerCallNoise = new(StringComparer.Ordinal)
    {
        "http.client.open_connections", "http.client.active_requests", "http.client.request.time_in_queue",
        "resilience.polly.strategy.attempt.duration", "resilience.polly.pipeline.duration",
    };

    private static bool Exported(Instrument instrument, IMeterFactory meters) =>
        (ReferenceEquals(instrument.Meter.Scope, meters) || SharedMeters.Contains(instrument.Meter.Name))
        && instrument.Meter.Name != "Microsoft.AspNetCore.MemoryPool"
        && !PerCallNoise.Contains(instrument.Name);

    private IDisposable? _adapter;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        DotNetStats.Register(Registry); // process_* (CPU, memory, handles, start time) and dotnet_* (GC)
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => Exported(instrument, meters),
        });

        // Rare events are exported from the start at zero, so an alert on their increase has a series to watch.
        var hub = meters.Create(HubMetricNames.Meter);
        hub.CreateCounter<long>(HubMetricNames.EvidenceFailed, description: "Evidence entries Kafka did not take (gaps in the chain)").Add(0);
        var reloads = hub.CreateCounter<long>(HubMetricNames.MappingReloads, description: "Mapping folder reloads, by outcome (swapped, refused, unchanged)");
        foreach (var outcome in new[] { "swapped", "refused" })
        {
            reloads.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }

        // These gauges exist from the start, before the first upstream call and the first readiness check.
        _ = services.GetService<OneStop.Adapters.UpstreamBreakerStates>();
        _ = services.GetService<Internal.ReadinessGauge>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _adapter?.Dispose();
        _adapter = null;
    }
}
