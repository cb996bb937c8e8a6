using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Adapters;
using OneStop.Hub.Diagnostics;
using OneStop.Testing;

namespace OneStop.IntegrationTests;

/// <summary>
/// The real host as an operator meets it: the embedded Kafka cluster, the fakes, and a recording destination
/// <c>alpha</c> that can be told to refuse a dossier (so there is something parked to look at and replay).
/// Shared by the operator-facing test classes (CLI, health, metrics, console, traces) through one collection.
/// </summary>
public sealed class OperatorFixture : IAsyncLifetime
{
    public RecordingDestination Alpha { get; } = new("alpha");

    public HubServer Hub { get; private set; } = null!;

    /// <summary>When set, the test's readiness check fails with this reason.</summary>
    public string? NotReady { get; set; }

    public TestSystems Systems { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        settings["Delivery:InitialBackoff"] = "00:00:00.050";
        settings["Delivery:MaxBackoff"] = "00:00:00.400";
        settings["Delivery:RefusalsBeforePark"] = "2";
        Hub = HubServer.Start(settings, services =>
        {
            services.AddSingleton<IDeliveryAdapter>(Alpha);
            // A readiness check a test can turn off: a module's check plugged in the documented way.
            services.AddHealthChecks().AddCheck("test-switch",
                () => NotReady is { } why ? HealthCheckResult.Unhealthy(why) : HealthCheckResult.Healthy("on"), tags: [HubHealth.Ready]);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OperatorCollection : ICollectionFixture<OperatorFixture>
{
    public const string Name = "operator";
}
