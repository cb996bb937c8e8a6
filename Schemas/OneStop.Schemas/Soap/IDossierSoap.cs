using System.ServiceModel;

namespace OneStop.Schemas.Soap;

/// <summary>
/// Dossier events on SOAP at <c>/soap/dossier</c> (WSDL at <c>/soap/dossier?wsdl</c>), for one-stop systems that
/// cannot speak gRPC. Answers only once Kafka holds the event; errors are SOAP faults with a <see cref="LookupFault"/>
/// detail (Code, Field, Message).
/// </summary>
[ServiceContract(Namespace = SoapNamespaces.Dossier, Name = "DossierService")]
public interface IDossierSoap
{
    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<PublishEventReply> PublishEvent(DossierEvent dossierEvent);
}
