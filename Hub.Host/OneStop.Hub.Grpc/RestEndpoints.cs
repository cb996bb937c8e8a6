using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using OneStop.Hub.Grpc.Internal.Rest;

namespace OneStop.Hub.Grpc;

/// <summary>
/// The gRPC services as JSON over HTTP: gRPC JSON transcoding of the <c>google.api.http</c> routes in the protos
/// (<c>/api/v1/…</c>, field names as in the protos), one error shape for every route, a guard against hostile JSON,
/// and the OpenAPI document of it all at <c>/openapi/v1.json</c>.
/// </summary>
public static class RestEndpoints
{
    /// <summary>Every JSON route lives under this prefix.</summary>
    public const string PathPrefix = "/api";

    /// <summary>Largest JSON request body the hub accepts (as for SOAP).</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>Name of the OpenAPI document (<c>/openapi/v1.json</c>).</summary>
    public const string DocumentName = "v1";

    /// <summary>
    /// JSON transcoding on the gRPC services and the OpenAPI document. <paramref name="describe"/> lets the host add what
    /// it serves beside the gRPC routes (the token endpoint, security schemes).
    /// </summary>
    public static IHostApplicationBuilder AddOneStopRest(this IHostApplicationBuilder builder, Action<OpenApiDocument>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGrpc().AddJsonTranscoding();
        builder.Services.AddOpenApi(DocumentName, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            // Minimal-API endpoints (evidence, health) are operator tools on the same port, not the integration API.
            o.ShouldInclude = _ => false;
            o.AddDocumentTransformer((document, context, _) =>
            {
                TranscodedRoutes.Describe(document, context.ApplicationServices);
                describe?.Invoke(document);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// The JSON error shape for every answer under <see cref="PathPrefix"/>. Call first, before authentication and the
    /// rate limiter, so their refusals get the same shape.
    /// </summary>
    public static IApplicationBuilder UseOneStopRestErrors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<RestErrorResponses>();
    }

    /// <summary>Refuses hostile JSON bodies before the transcoder parses them. Call with the other input guards.</summary>
    public static IApplicationBuilder UseOneStopJsonGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<JsonGuard>();
    }

    /// <summary><c>GET /openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapOneStopOpenApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        return app;
    }
}
