using System.ServiceModel;

namespace OneStop.Schemas.Soap;

public static class SoapNamespaces
{
    /// <summary>Target namespace of the lookup service and its data contracts.</summary>
    public const string Lookup = "http://onestop.lgsp/lookup/v1";

    /// <summary>Target namespace of the dossier service and its data contracts.</summary>
    public const string Dossier = "http://onestop.lgsp/dossier/v1";
}

/// <summary>
/// The lookups on SOAP at <c>/soap/lookup</c> (WSDL at <c>/soap/lookup?wsdl</c>), the same four operations as
/// gRPC onestop.v1.LookupService. Errors come back as a SOAP fault whose detail is a <see cref="LookupFault"/>.
/// </summary>
[ServiceContract(Namespace = SoapNamespaces.Lookup, Name = "LookupService")]
public interface ILookupSoap
{
    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<VerifyCitizenReply> VerifyCitizen(VerifyCitizenRequest request);

    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<GetEnterpriseReply> GetEnterprise(GetEnterpriseRequest request);

    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<GetInsuranceReply> GetInsurance(GetInsuranceRequest request);

    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<GetLandParcelReply> GetLandParcel(GetLandParcelRequest request);
}
