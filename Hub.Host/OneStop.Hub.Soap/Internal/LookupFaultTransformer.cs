using System.Runtime.Serialization;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using Microsoft.Extensions.Logging;
using OneStop.Schemas.Soap;
using SoapCore;
using SoapCore.Extensibility;

namespace OneStop.Hub.Soap.Internal;

/// <summary>
/// Gives the faults SoapCore raises itself (unknown SOAPAction, a body that is not the operation's request,
/// a value of the wrong type) the same <see cref="LookupFault"/> detail as the hub's own faults, so a caller
/// reads one <c>Code</c> whatever went wrong. Faults the hub raised pass through unchanged.
/// </summary>
internal sealed partial class LookupFaultTransformer(ILogger<LookupFaultTransformer> logger) : IFaultExceptionTransformer
{
    private readonly DefaultFaultExceptionTransformer<CustomMessage> _default = new();

    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceManager) =>
        _default.ProvideFault(exception is FaultException ? exception : Translate(exception), messageVersion, requestMessage, xmlNamespaceManager);

    private FaultException<LookupFault> Translate(Exception exception)
    {
        if (exception is InvalidOperationException && exception.Message.StartsWith("No operation found", StringComparison.Ordinal))
        {
            return Fault("UNIMPLEMENTED", "the SOAPAction names no operation of this endpoint (see ?wsdl)", sender: true);
        }

        if (exception is System.Reflection.TargetParameterCountException)
        {
            // SoapCore found no operation element to read the parameters from (the guard refuses a missing or empty Body first).
            return SoapFaults.Fault("INVALID_ARGUMENT", "Body: the SOAP Body does not hold the operation's element (see ?wsdl)", sender: true, field: "Body");
        }

        if (exception is SerializationException or XmlException or FormatException or InvalidCastException
            || exception.InnerException is SerializationException or XmlException or FormatException
            || ThrownByTheXmlReader(exception))
        {
            // The caller's request could not be read as the operation's data contract. The serializer's own words
            // (element expected, type expected) go back to the caller; they are not logged.
            var reason = (exception.InnerException ?? exception).Message;
            return Fault("INVALID_ARGUMENT", "the request does not match the operation's contract: " + reason, sender: true);
        }

        var errorId = Guid.NewGuid().ToString("N")[..12];
        LogUnexpected(logger, exception.GetType().Name, errorId);
        return Fault("INTERNAL", $"internal error in the hub; quote error id {errorId}", sender: false);
    }

    /// <summary>
    /// The XML reader refusing a node the contract does not allow there (an element inside a text-only element:
    /// <c>&lt;SoDinhDanh&gt;&lt;x/&gt;&lt;/SoDinhDanh&gt;</c>) throws InvalidOperationException from System.Xml while the
    /// request is read: the caller's message, not the hub, is wrong.
    /// </summary>
    private static bool ThrownByTheXmlReader(Exception exception) =>
        exception is InvalidOperationException or ArgumentException
        && exception.TargetSite?.DeclaringType?.Namespace is { } ns
        && (ns.StartsWith("System.Xml", StringComparison.Ordinal) || ns.StartsWith("System.Runtime.Serialization", StringComparison.Ordinal));

    private static FaultException<LookupFault> Fault(string code, string message, bool sender) => SoapFaults.Fault(code, message, sender);

    [LoggerMessage(Level = LogLevel.Error, Message = "SOAP request failed in SoapCore with {ExceptionType} (error id {ErrorId})")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, string errorId);
}
