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
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubMetrics>());
        builder.Services.AddHostedService<Internal.StartupReport>();
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
/// Publishes this host's .NET meters (lookups, resilience events, Kestrel, HttpClient) in Prometheus format,
/// in a registry of its own. Started with the host rather than on the first scrape, so nothing measured
/// before the first scrape is missed.
/// </summary>
internal sealed class HubMetrics(IMeterFactory meters) : IHostedService, IDisposable
{
    private IDisposable? _adapter;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            // Meters made by this host's factory, and Polly's own meter (resilience events).
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meters) || instrument.Meter.Name == "Polly",
        });
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
