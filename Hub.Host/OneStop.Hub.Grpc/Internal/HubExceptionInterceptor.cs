using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Grpc.Internal.Rest;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>
/// Turns a <see cref="HubException"/> into the gRPC status a caller can act on, with the field or upstream
/// in trailers (<c>onestop-field</c>, <c>onestop-upstream</c>). Anything else becomes INTERNAL with an
/// error id to quote; the exception is logged, never sent.
/// </summary>
internal sealed partial class HubExceptionInterceptor(ILogger<HubExceptionInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            throw Translate(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            throw Translate(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            throw Translate(e, context);
        }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        if (e is HubException hub)
        {
            // JSON routes answer {code, message, field, upstream}: the error writer reads these two from the context.
            var items = context.GetHttpContext().Items;
            items[RestError.FieldItem] = hub.Field;
            items[RestError.UpstreamItem] = hub.Upstream;
            var trailers = new Metadata();
            if (hub.Field is not null)
            {
                trailers.Add("onestop-field", hub.Field);
            }

            if (hub.Upstream is not null)
            {
                trailers.Add("onestop-upstream", hub.Upstream);
            }

            return new RpcException(new Status(ToStatusCode(hub.Kind), hub.Message), trailers);
        }

        var errorId = Guid.NewGuid().ToString("N")[..12];
        LogUnhandled(e, context.Method, errorId);
        return new RpcException(new Status(StatusCode.Internal, $"internal error in the hub; quote error id {errorId}"));
    }

    internal static StatusCode ToStatusCode(HubErrorKind kind) => kind switch
    {
        HubErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        HubErrorKind.NotFound => StatusCode.NotFound,
        HubErrorKind.Unavailable => StatusCode.Unavailable,
        HubErrorKind.Timeout => StatusCode.DeadlineExceeded,
        HubErrorKind.UpstreamMalformed => StatusCode.DataLoss,
        HubErrorKind.UpstreamRejected => StatusCode.FailedPrecondition,
        HubErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        HubErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        HubErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} (error id {ErrorId})")]
    private partial void LogUnhandled(Exception exception, string method, string errorId);
}
