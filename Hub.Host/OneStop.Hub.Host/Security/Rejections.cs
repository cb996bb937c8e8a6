using System.Globalization;
using OneStop.Hub.Soap;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// Answers a refusal that happens before an endpoint runs (rate limit) in the caller's own protocol: a gRPC
/// status (trailers-only response), a SOAP fault, or a plain HTTP status.
/// </summary>
internal static class Rejections
{
    public static async Task WriteAsync(HttpContext context, int grpcStatus, string code, int httpStatus, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = grpcStatus.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }

        if (context.Request.Path.StartsWithSegments(SoapEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            await SoapFaultWriter.WriteAsync(context, httpStatus, code, message).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
    }
}
