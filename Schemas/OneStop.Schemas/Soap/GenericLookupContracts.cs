// SOAP contract of /soap/generic-lookup: a lookup on an upstream defined by configuration and mapping files only.
using System.Runtime.Serialization;
using System.ServiceModel;

namespace OneStop.Schemas.Soap;

/// <summary>
/// The generic lookup on SOAP at <c>/soap/generic-lookup</c> (WSDL at <c>?wsdl</c>), the same operation as gRPC
/// onestop.v1.GenericLookupService/Lookup. Errors come back as a SOAP fault whose detail is a <see cref="LookupFault"/>.
/// </summary>
[ServiceContract(Namespace = SoapNamespaces.Lookup, Name = "GenericLookupService")]
public interface IGenericLookupSoap
{
    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<GenericLookupReply> GenericLookup(GenericLookupRequest request);
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class LookupParameter
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? Name { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? Value { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GenericLookupRequest
{
    /// <summary>The upstream's id, e.g. <c>civil-status</c>.</summary>
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? Upstream { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public List<LookupParameter> Parameters { get; set; } = [];

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public LookupContext? Context { get; set; }
}

/// <summary>One field of the record: its path (<c>cha.ho_va_ten</c>, <c>con[0].ten</c>) and its value as text.</summary>
[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class LookupField
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? Path { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? Value { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GenericLookupReply
{
    /// <summary>The record as the reply mapping produced it, as JSON.</summary>
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? RecordJson { get; set; }

    /// <summary>The same record, one field per scalar value.</summary>
    [DataMember(Order = 2, EmitDefaultValue = false)]
    public List<LookupField> Fields { get; set; } = [];

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public LookupMeta? Meta { get; set; }
}
