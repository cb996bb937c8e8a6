using System.Text.Json.Serialization;

namespace OneStop.Schemas.Canonical;

/// <summary>
/// Canonical records as JSON: lower snake case names (as in the protos), nulls left out.
/// This is the shape the mapping files read (requests) and write (replies).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CitizenQuery))]
[JsonSerializable(typeof(CongDan))]
[JsonSerializable(typeof(EnterpriseQuery))]
[JsonSerializable(typeof(DoanhNghiep))]
[JsonSerializable(typeof(InsuranceQuery))]
[JsonSerializable(typeof(SoBhxh))]
[JsonSerializable(typeof(LandParcelQuery))]
[JsonSerializable(typeof(ThuaDat))]
[JsonSerializable(typeof(DossierEvent))]
public sealed partial class CanonicalJson : JsonSerializerContext;
