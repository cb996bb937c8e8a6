using OneStop.Adapters;
using OneStop.Hub.Diagnostics;
using OneStop.Hub.Evidence;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OneStop.Hub.Host;

/// <summary>
/// Traces with OpenTelemetry: incoming gRPC, SOAP and HTTP calls (ASP.NET Core), upstream and destination calls
/// (HttpClient, inside the adapters' <c>upstream …</c> spans), mappings, Kafka publish and process (W3C context in
/// record headers), delivery attempts, inbound pull runs and evidence writes. Exported over OTLP when
/// <c>Otel:Endpoint</c> is set; without it no tracer provider is built and the hub records no spans.
/// </summary>
public static class Tracing
{
    public static WebApplicationBuilder AddOneStopTracing(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var endpoint = builder.Configuration["Otel:Endpoint"];
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("onestop-hub", serviceInstanceId: builder.Configuration["Evidence:InstanceId"] ?? Environment.MachineName));

        // What a tracer provider records, registered whether or not one is built: the provider itself exists only when
        // spans go somewhere (OTLP below, or a test's in-memory exporter through AddOpenTelemetry().WithTracing). Without
        // one, no listener samples the hub's sources, so StartActivity returns null and nothing is recorded.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(HubActivities.SourceName, UpstreamActivities.SourceName)
            .AddAspNetCoreInstrumentation(o =>
            {
                // Probes and scrapes are not exchanges.
                o.Filter = context => !(context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics"));
                // A path or query may hold an identifier (a REST route, a console search): keep the route template only.
                o.EnrichWithHttpRequest = (activity, _) =>
                {
                    activity.SetTag("url.path", null);
                    activity.SetTag("url.query", null);
                };
                o.RecordException = false;
            })
            .AddHttpClientInstrumentation(o => o.RecordException = false));

        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            otel.WithTracing(tracing => tracing.AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(endpoint);
                if (string.Equals(builder.Configuration["Otel:Protocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase))
                {
                    o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
                }
            }));
        }

        // Every evidence write as a span: decorate whichever recorder is registered last (Kafka's durable one).
        var recorder = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IEvidenceRecorder));
        if (recorder is not null && recorder.ImplementationFactory is { } factory)
        {
            builder.Services.Remove(recorder);
            builder.Services.Add(ServiceDescriptor.Describe(typeof(IEvidenceRecorder),
                sp => new TracingEvidenceRecorder((IEvidenceRecorder)factory(sp)), recorder.Lifetime));
        }
        else if (recorder is not null && recorder.ImplementationType is { } type)
        {
            builder.Services.Remove(recorder);
            builder.Services.Add(ServiceDescriptor.Describe(typeof(IEvidenceRecorder),
                sp => new TracingEvidenceRecorder((IEvidenceRecorder)ActivatorUtilities.CreateInstance(sp, type)), recorder.Lifetime));
        }

        return builder;
    }
}
