namespace OneStop.Adapters;

/// <summary>
/// The four lookups the hub serves as typed operations (gRPC <c>LookupService</c>, SOAP, REST). Each is served by the
/// upstream defined in the mapping folder's <c>upstreams/&lt;id&gt;.yaml</c> with its two mappings, through the same
/// file-defined adapter as any generic upstream; only the operation and the canonical record types are fixed in code.
/// The generic lookup does not call them: they keep the rights, identifier checks and records of their own operations.
/// </summary>
public static class BuiltInLookups
{
    public const string Population = "population";

    public const string Business = "business";

    public const string Insurance = "insurance";

    public const string Land = "land";

    /// <summary>Upstream id → the operation that serves it.</summary>
    public static IReadOnlyDictionary<string, string> Operations { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Population] = "LookupService/VerifyCitizen",
        [Business] = "LookupService/GetEnterprise",
        [Insurance] = "LookupService/GetInsurance",
        [Land] = "LookupService/GetLandParcel",
    };
}
