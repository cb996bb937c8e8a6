using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>
/// Every gRPC operation of every service needs an authenticated client with the right to the operation
/// (<c>Service/Method</c> from the method path), decided by <see cref="ExchangeGate"/> (the same decision SOAP uses).
/// Deny by default: a service added later is covered without a line here. Health and reflection stay open. Refusals
/// and admin operations are recorded through <see cref="Exchanges"/>, with the outcome words of <see cref="ExchangeOutcome"/>.
/// </summary>
internal sealed class AuthorizationInterceptor(ExchangeGate gate, Exchanges exchanges, TimeProvider time)
    : Interceptor
{
    private const string NoCredentials =
        "no credentials: send Authorization: Bearer <access token from POST /token>, or the client's API key as x-api-key (or a registered client certificate over TLS)";

    private static readonly string[] OpenServices = ["grpc.health.v1.Health/", "grpc.reflection.v1alpha.ServerReflection/", "grpc.reflection.v1.ServerReflection/"];

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var admin = await AuthorizeAsync(context, request).ConfigureAwait(false);
        return await Audited(admin, context, request, () => continuation(request, context)).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var admin = await AuthorizeAsync(context, request).ConfigureAwait(false);
        await Audited(admin, context, request, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var admin = await AuthorizeAsync<object>(context, null).ConfigureAwait(false);
        return await Audited<object, TResponse>(admin, context, null, () => continuation(requestStream, context)).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var admin = await AuthorizeAsync<object>(context, null).ConfigureAwait(false);
        await Audited<object, bool>(admin, context, null, async () =>
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>Returns whether the operation is an admin operation (to be audited); throws UNAUTHENTICATED / PERMISSION_DENIED.</summary>
    private async Task<bool> AuthorizeAsync<TRequest>(ServerCallContext context, TRequest? request)
    {
        if (OpenServices.Any(s => context.Method.AsSpan().TrimStart('/').StartsWith(s, StringComparison.Ordinal)))
        {
            return false;
        }

        var operation = HubClaims.OperationOfGrpcMethod(context.Method);
        if (await gate.AuthorizeAsync(context.GetHttpContext(), operation, NoCredentials, Digest(request)).ConfigureAwait(false) is { } refusal)
        {
            throw new RpcException(new Status(HubExceptionInterceptor.ToStatusCode(refusal.Kind), refusal.Message));
        }

        return gate.IsAdminOperation(operation);
    }

    private async Task<TResponse> Audited<TRequest, TResponse>(bool admin, ServerCallContext context, TRequest? request, Func<Task<TResponse>> call)
    {
        if (!admin)
        {
            return await call().ConfigureAwait(false);
        }

        var outcome = ExchangeOutcome.Internal;
        try
        {
            var response = await call().ConfigureAwait(false);
            outcome = ExchangeOutcome.Ok;
            return response;
        }
        catch (RpcException e)
        {
            outcome = ExchangeOutcome.OfStatusCode((int)e.StatusCode);
            throw;
        }
        catch (HubException e)
        {
            outcome = ExchangeOutcome.Of(e.Kind);
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            outcome = ExchangeOutcome.Cancelled;
            throw;
        }
        finally
        {
            await exchanges.RecordAsync(new ExchangeRecord
            {
                Client = context.GetHttpContext().User.FindFirst(HubClaims.ClientId)?.Value ?? "anonymous",
                Operation = HubClaims.OperationOfGrpcMethod(context.Method),
                Time = time.GetUtcNow(),
                Outcome = outcome,
                RequestDigest = Digest(request),
            }).ConfigureAwait(false);
        }
    }

    private static string? Digest<TRequest>(TRequest? request) => request is IMessage message ? ExchangeRecord.Digest(message.ToByteArray()) : null;
}
