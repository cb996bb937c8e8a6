using Microsoft.Extensions.Logging;

namespace OneStop.Hub.Evidence;

/// <summary>
/// Evidence as log lines (digests and ids only): the default until a durable, hash-chained recorder
/// replaces it.
/// </summary>
internal sealed partial class LogEvidenceRecorder(ILogger<LogEvidenceRecorder> logger) : IEvidenceRecorder
{
    public ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        LogRecord(record.Client, record.Operation, record.Outcome, record.RequestId, record.MappingVersion, record.RequestDigest, record.ResponseDigest);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Evidence: {Client} {Operation} {Outcome} request {RequestId} mapping {MappingVersion} digests {RequestDigest}/{ResponseDigest}")]
    private partial void LogRecord(string client, string operation, string outcome, string? requestId, string? mappingVersion, string? requestDigest, string? responseDigest);
}

/// <summary>No authentication configured: every caller is anonymous.</summary>
internal sealed class AnonymousCallerAccessor : ICallerAccessor
{
    public string? ClientId => null;
}
