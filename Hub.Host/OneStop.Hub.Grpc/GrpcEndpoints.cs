using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Grpc.AspNetCore.HealthChecks;
using OneStop.Hub.Diagnostics;
using OneStop.Hub.Grpc.Internal;

namespace OneStop.Hub.Grpc;

public static class GrpcEndpoints
{
    /// <summary>Largest gRPC message the hub accepts or sends.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>gRPC services, the authorization and error interceptors, server reflection and the standard health service.</summary>
    public static IHostApplicationBuilder AddOneStopGrpc(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<AuthorizationInterceptor>();
            o.Interceptors.Add<HubExceptionInterceptor>();
            o.MaxReceiveMessageSize = MaxMessageBytes;
            o.MaxSendMessageSize = MaxMessageBytes;
            o.EnableDetailedErrors = false;
        });
        builder.Services.AddGrpcReflection();
        // grpc.health.v1 follows readiness (/health/ready): the checks tagged ready, run when asked.
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", (HealthCheckMapContext c) => c.Tags.Contains(HubHealth.Ready));
            o.UseHealthChecksCache = false;
        });
        return builder;
    }

    /// <summary>
    /// Answers INVALID_ARGUMENT, naming the message type and the protobuf error, for a request message that does
    /// not parse (instead of gRPC's UNKNOWN). Call after routing, before the endpoints run.
    /// </summary>
    public static IApplicationBuilder UseOneStopGrpcGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<GrpcMessageGuard>();
    }

    public static IEndpointRouteBuilder MapOneStopGrpc(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<LookupGrpcService>();
        app.MapGrpcService<DossierGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcService<GenericLookupGrpcService>();
        app.MapGrpcService<MappingAdminGrpcService>();
        app.MapGrpcService<InboundGrpcService>();
        app.MapGrpcService<CatalogueGrpcService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
