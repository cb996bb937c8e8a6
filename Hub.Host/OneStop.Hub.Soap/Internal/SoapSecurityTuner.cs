using Microsoft.AspNetCore.Http;
using OneStop.Hub.Security;
using SoapCore.Extensibility;
using SoapCore.ServiceModel;

namespace OneStop.Hub.Soap.Internal;

/// <summary>
/// Every operation of every SOAP endpoint needs an authenticated client with the right to the operation
/// (<c>Contract/Operation</c>, e.g. <c>LookupService/VerifyCitizen</c>), decided by <see cref="ExchangeGate"/> (the
/// same decision gRPC uses) right before SoapCore invokes it: an endpoint added later is covered without a line here.
/// Refusals are SOAP faults (LookupFault UNAUTHENTICATED / PERMISSION_DENIED) and leave evidence.
/// </summary>
internal sealed class SoapSecurityTuner(ExchangeGate gate) : IServiceOperationTuner
{
    private const string NoCredentials = "no credentials: send the client's API key as x-api-key (or a registered client certificate over TLS)";

    public void Tune(HttpContext httpContext, object serviceInstance, OperationDescription operation)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(operation);
        var name = $"{operation.Contract.Name}/{operation.Name}";

        // SoapCore's tuner is synchronous: wait here, so a refusal is durable evidence before the fault is answered.
        if (gate.AuthorizeAsync(httpContext, name, NoCredentials).AsTask().GetAwaiter().GetResult() is { } refusal)
        {
            throw SoapFaults.Fault(refusal.Kind, refusal.Message);
        }
    }
}
