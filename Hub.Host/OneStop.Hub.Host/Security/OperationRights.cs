using Microsoft.AspNetCore.Authorization;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

/// <summary>The client must hold a right to the operation named by the authorization resource (<c>Service/Method</c>).</summary>
internal sealed class OperationRightRequirement : IAuthorizationRequirement;

internal sealed class OperationRightHandler(IAccessPolicy access) : AuthorizationHandler<OperationRightRequirement, string>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperationRightRequirement requirement, string resource)
    {
        if (access.CheckOperation(context.User.FindFirst(HubClaims.ClientId)?.Value, resource).Allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The caller as the core sees it: the client id of the authenticated HttpContext.</summary>
internal sealed class HttpContextCallerAccessor(IHttpContextAccessor http) : OneStop.Hub.Evidence.ICallerAccessor
{
    public string? ClientId => http.HttpContext?.User.FindFirst(HubClaims.ClientId)?.Value;
}
