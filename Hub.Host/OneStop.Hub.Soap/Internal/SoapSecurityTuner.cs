using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using SoapCore.Extensibility;
using SoapCore.ServiceModel;

namespace OneStop.Hub.Soap.Internal;

/// <summary>
/// Every operation of every SOAP endpoint needs an authenticated client with the right to the operation
/// (<c>Contract/Operation</c>, e.g. <c>LookupService/VerifyCitizen</c>), checked through ASP.NET Core
/// authorization right before SoapCore invokes it: an endpoint added later is covered without a line here.
/// Refusals are SOAP faults (LookupFault UNAUTHENTICATED / PERMISSION_DENIED) and leave evidence.
/// </summary>
internal sealed class SoapSecurityTuner(IAuthorizationService authorization, IAccessPolicy access, IEvidenceRecorder evidence, TimeProvider time)
    : IServiceOperationTuner
{
    public void Tune(HttpContext httpContext, object serviceInstance, OperationDescription operation)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(operation);
        var name = $"{operation.Contract.Name}/{operation.Name}";
        var client = httpContext.User.FindFirst(HubClaims.ClientId)?.Value;
        if (client is null)
        {
            Record("anonymous", name, "unauthenticated");
            var reason = httpContext.Items[HubClaims.FailureItem] as string ?? "no credentials: send the client's API key as x-api-key (or a registered client certificate over TLS)";
            throw SoapFaults.Fault(HubErrorKind.Unauthenticated, reason);
        }

        // The requirement handler is synchronous: this completes at once.
        var result = authorization.AuthorizeAsync(httpContext.User, name, HubClaims.OperationPolicy).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            Record(client, name, "permission_denied");
            throw SoapFaults.Fault(HubErrorKind.PermissionDenied, access.CheckOperation(client, name).Reason ?? $"client {client} has no right to {name}");
        }
    }

    // SoapCore's tuner is synchronous: wait here, so the refusal is durable evidence before the fault is answered.
    private void Record(string client, string operation, string outcome) =>
        evidence.RecordAsync(new ExchangeRecord { Client = client, Operation = operation, Time = time.GetUtcNow(), Outcome = outcome }, CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
}
