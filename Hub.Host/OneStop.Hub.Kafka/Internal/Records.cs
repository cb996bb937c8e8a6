using System.Text.Json.Serialization;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>One record of the dossier-events topic: an accepted event, or an operator's replay request.</summary>
internal sealed record DossierLogRecord
{
    public const string EventKind = "event";
    public const string ReplayKind = "replay";

    public required string Kind { get; init; }

    public DossierEvent? Event { get; init; }

    public ReplayRequest? Replay { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DossierLogRecord))]
internal sealed partial class KafkaJson : JsonSerializerContext;
