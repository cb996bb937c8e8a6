using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Diagnostics;

namespace OneStop.Hub.Evidence;

/// <summary>
/// Where an exchange is recorded, whatever it was (lookup, generic lookup, publish, admin call, refusal) and whichever
/// transport carried it: counts it in <c>onestop.exchanges</c> (operation, outcome), logs refusals, and waits until its
/// evidence record is durable. Outcomes come from <see cref="ExchangeOutcome"/>, the one vocabulary.
/// </summary>
public sealed partial class Exchanges
{
    private readonly IEvidenceRecorder _evidence;
    private readonly ILogger<Exchanges> _logger;
    private readonly Counter<long> _exchanges;

    public Exchanges(IEvidenceRecorder evidence, ILogger<Exchanges> logger, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _evidence = evidence;
        _logger = logger;
        _exchanges = meters.Create(HubMetricNames.Meter).CreateCounter<long>(HubMetricNames.Exchanges, description: "Exchanges recorded, by operation and outcome");
    }

    /// <summary>Counts the exchange and completes when its evidence record is durable.</summary>
    public ValueTask RecordAsync(ExchangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _exchanges.Add(1, new TagList { { "operation", record.Operation }, { "outcome", record.Outcome } });
        return _evidence.RecordAsync(record, CancellationToken.None);
    }

    /// <summary>A refusal before the operation ran (no credentials, no right, over the rate limit): counted, logged, recorded.</summary>
    public ValueTask RefusedAsync(string? client, string operation, HubErrorKind kind, DateTimeOffset time, string? requestDigest = null)
    {
        var outcome = ExchangeOutcome.Of(kind);
        LogRefused(operation, client ?? "anonymous", outcome);
        return RecordAsync(new ExchangeRecord
        {
            Client = client ?? "anonymous",
            Operation = operation,
            Time = time,
            Outcome = outcome,
            RequestDigest = requestDigest,
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} refused for client {Client}: {Outcome}")]
    private partial void LogRefused(string operation, string client, string outcome);
}
