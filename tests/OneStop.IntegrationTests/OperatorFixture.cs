using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Adapters;
using OneStop.Hub.Diagnostics;
using OneStop.Testing;
using OpenTelemetry.Trace;

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

    /// <summary>Every span the hub ended, from OpenTelemetry's in-memory exporter.</summary>
    public SpanCollection Spans { get; } = new();

    /// <summary>When set, the test's readiness check fails with this reason.</summary>
    public string? NotReady { get; set; }

    public TestSystems Systems { get; private set; } = null!;

    /// <summary>Where inbound pull runs store the files they fetch from the portal fake.</summary>
    public string Attachments { get; } = Path.Combine(Path.GetTempPath(), $"onestop-operator-attachments-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        settings["Delivery:InitialBackoff"] = "00:00:00.050";
        settings["Delivery:MaxBackoff"] = "00:00:00.400";
        settings["Delivery:RefusalsBeforePark"] = "2";
        settings["Inbound:AttachmentsPath"] = Attachments;
        foreach (var limit in new[] { "RateLimit", "AnonymousRateLimit" })
        {
            settings[$"Security:{limit}:PermitsPerPeriod"] = "1000000";
            settings[$"Security:{limit}:Burst"] = "1000000";
        }
        Hub = HubServer.Start(settings, services =>
        {
            services.AddSingleton<IDeliveryAdapter>(Alpha);
            // The test's exporter is what makes the hub build a tracer provider here (it has no Otel:Endpoint).
            services.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(Spans));
            // A readiness check a test can turn off: a module's check plugged in the documented way.
            services.AddHealthChecks().AddCheck("test-switch",
                () => NotReady is { } why ? HealthCheckResult.Unhealthy(why) : HealthCheckResult.Healthy("on"), tags: [HubHealth.Ready]);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
        if (Directory.Exists(Attachments))
        {
            Directory.Delete(Attachments, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OperatorCollection : ICollectionFixture<OperatorFixture>
{
    public const string Name = "operator";
}

/// <summary>The exporter's target: it adds from the hub's threads while a test reads, so every access takes a lock.</summary>
public sealed class SpanCollection : ICollection<System.Diagnostics.Activity>
{
    private readonly List<System.Diagnostics.Activity> _spans = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<System.Diagnostics.Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. _spans];
        }
    }

    public void Add(System.Diagnostics.Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(System.Diagnostics.Activity item) => Snapshot().Contains(item);

    public void CopyTo(System.Diagnostics.Activity[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

    public bool Remove(System.Diagnostics.Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<System.Diagnostics.Activity> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
