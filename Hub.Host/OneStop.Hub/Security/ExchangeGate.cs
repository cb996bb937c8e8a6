using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Security;

/// <summary>
/// Decides, once for every transport, whether the caller of an operation (<c>Service/Method</c>) may run it: an
/// authenticated client (ASP.NET Core authentication ran before) with the right to the operation, checked through
/// ASP.NET Core authorization. A refusal is recorded through <see cref="Exchanges"/> before it is returned, so it is
/// durable evidence before the caller hears of it. gRPC's interceptor and SOAP's operation tuner only translate the answer.
/// </summary>
public sealed class ExchangeGate(IAuthorizationService authorization, IAccessPolicy access, Exchanges exchanges, TimeProvider time)
{
    /// <summary>
    /// Null when the call may go ahead; otherwise the refusal (UNAUTHENTICATED or PERMISSION_DENIED, with the reason a
    /// caller can act on), already recorded. <paramref name="noCredentials"/> says how to authenticate on this transport.
    /// </summary>
    public async ValueTask<HubException?> AuthorizeAsync(HttpContext http, string operation, string noCredentials, string? requestDigest = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var client = http.User.FindFirst(HubClaims.ClientId)?.Value;
        if (client is null)
        {
            await exchanges.RefusedAsync(null, operation, HubErrorKind.Unauthenticated, time.GetUtcNow(), requestDigest).ConfigureAwait(false);
            return new HubException(HubErrorKind.Unauthenticated, http.Items[HubClaims.FailureItem] as string ?? noCredentials);
        }

        var result = await authorization.AuthorizeAsync(http.User, operation, HubClaims.OperationPolicy).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await exchanges.RefusedAsync(client, operation, HubErrorKind.PermissionDenied, time.GetUtcNow(), requestDigest).ConfigureAwait(false);
            return new HubException(HubErrorKind.PermissionDenied, access.CheckOperation(client, operation).Reason ?? $"client {client} has no right to {operation}");
        }

        return null;
    }

    /// <summary>Whether the operation is an administrator's (its every call is recorded, not only refusals).</summary>
    public bool IsAdminOperation(string operation) => access.IsAdminOperation(operation);
}
