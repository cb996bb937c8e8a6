using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>
/// Every gRPC operation of every service needs an authenticated client with the right to the operation
/// (<c>Service/Method</c> from the method path), checked through ASP.NET Core authorization. Deny by default:
/// a service added later is covered without a line here. Health and reflection stay open. Refusals and admin
/// operations leave evidence.
/// </summary>
internal sealed class AuthorizationInterceptor(IAuthorizationService authorization, IAccessPolicy access, IEvidenceRecorder evidence, TimeProvider time)
    : Interceptor
{
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
        var http = context.GetHttpContext();
        var client = http.User.FindFirst(HubClaims.ClientId)?.Value;
        if (client is null)
        {
            var reason = http.Items[HubClaims.FailureItem] as string ?? "no credentials: send Authorization: Bearer <access token from POST /token>, or the client's API key as x-api-key (or a registered client certificate over TLS)";
            await RecordAsync("anonymous", operation, "unauthenticated", request).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
        }

        var result = await authorization.AuthorizeAsync(http.User, operation, HubClaims.OperationPolicy).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await RecordAsync(client, operation, "permission_denied", request).ConfigureAwait(false);
            var reason = access.CheckOperation(client, operation).Reason ?? $"client {client} has no right to {operation}";
            throw new RpcException(new Status(StatusCode.PermissionDenied, reason));
        }

        return access.IsAdminOperation(operation);
    }

    private async Task<TResponse> Audited<TRequest, TResponse>(bool admin, ServerCallContext context, TRequest? request, Func<Task<TResponse>> call)
    {
        if (!admin)
        {
            return await call().ConfigureAwait(false);
        }

        var outcome = "error";
        try
        {
            var response = await call().ConfigureAwait(false);
            outcome = "ok";
            return response;
        }
        catch (RpcException e)
        {
            outcome = e.StatusCode.ToString().ToLowerInvariant();
            throw;
        }
        catch (HubException e)
        {
            outcome = HubExceptionInterceptor.ToStatusCode(e.Kind).ToString().ToLowerInvariant();
            throw;
        }
        finally
        {
            var client = context.GetHttpContext().User.FindFirst(HubClaims.ClientId)?.Value ?? "anonymous";
            await RecordAsync(client, HubClaims.OperationOfGrpcMethod(context.Method), outcome, request).ConfigureAwait(false);
        }
    }

    private ValueTask RecordAsync<TRequest>(string client, string operation, string outcome, TRequest? request) =>
        evidence.RecordAsync(new ExchangeRecord
        {
            Client = client,
            Operation = operation,
            Time = time.GetUtcNow(),
            Outcome = outcome,
            RequestDigest = request is IMessage message ? ExchangeRecord.Digest(message.ToByteArray()) : null,
        }, CancellationToken.None);
}
