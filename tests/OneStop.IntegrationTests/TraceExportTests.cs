using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Grpc.V1;
using OneStop.Testing;
using OpenTelemetry.Trace;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Where the hub's spans go: over OTLP to the collector named by <c>Otel:Endpoint</c>; with no endpoint the hub builds
/// no tracer provider at all (nothing samples its spans, nothing is exported).
/// </summary>
public sealed class TraceExportTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private TestSystems _systems = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _systems = await TestSystems.StartAsync();

    public async ValueTask DisposeAsync() => await _systems.DisposeAsync();

    [Fact]
    public async Task With_Otel_Endpoint_set_a_lookups_spans_are_exported_over_OTLP()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var settings = _systems.Settings();
        settings["Otel:Endpoint"] = collector.TracesUrl;
        settings["Otel:Protocol"] = "http/protobuf";
        await using var hub = HubServer.Start(settings);
        hub.Services.GetService<TracerProvider>().ShouldNotBeNull();

        var reply = await new LookupService.LookupServiceClient(hub.Grpc.WithApiKey())
            .GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        reply.DoanhNghiep.MaSoDoanhNghiep.ShouldBe("2801234564");

        // OTLP/protobuf carries names as UTF-8 strings: the service, and the spans of the lookup.
        await Eventually.True(() => collector.Received.Any(b => Has(b, "onestop-hub") && Has(b, "upstream business")),
            "an OTLP export holding the lookup's upstream span", Wait,
            () => $"{collector.Received.Count} exports received at {collector.TracesUrl}", Ct);
        collector.ContentTypes.ShouldAllBe(t => t == "application/x-protobuf");
    }

    [Fact]
    public async Task Without_Otel_Endpoint_the_hub_builds_no_tracer_provider()
    {
        await using var hub = HubServer.Start(_systems.Settings());
        var reply = await new LookupService.LookupServiceClient(hub.Grpc.WithApiKey())
            .GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        reply.DoanhNghiep.MaSoDoanhNghiep.ShouldBe("2801234564");
        hub.Services.GetService<TracerProvider>().ShouldBeNull("no exporter, so no provider sampling the hub's spans");
    }

    private static bool Has(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>An OTLP/HTTP trace receiver on a loopback port: keeps every export body it is sent.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpCollector(WebApplication app, string url)
        {
            _app = app;
            TracesUrl = url;
        }

        public string TracesUrl { get; }

        public ConcurrentQueue<byte[]> Received { get; } = new();

        public ConcurrentQueue<string> ContentTypes { get; } = new();

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            // Not the hub's appsettings.json in the test folder (its Kestrel endpoints are the hub's ports): a loopback port of its own.
            builder.Configuration.Sources.Clear();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
            var app = builder.Build();
            OtlpCollector? collector = null;
            app.MapPost("/v1/traces", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                collector!.ContentTypes.Enqueue(context.Request.ContentType ?? "");
                collector.Received.Enqueue(body.ToArray());
                return Results.Ok();
            });
            await app.StartAsync(Ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            collector = new OtlpCollector(app, address.TrimEnd('/') + "/v1/traces");
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
