using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Diagnostics;

namespace OneStop.Hub.Evidence;

/// <summary>
/// Where an exchange is recorded, whatever it was (lookup, generic lookup, publish, admin call, refusal) and whichever
/// transport carried it: counts it in <c>onestop.exchanges</c> (operation, outcome), lookups also in
/// <c>onestop.lookups</c> and <c>onestop.lookup.duration</c> (operation, upstream, outcome), logs lookups and refusals,
/// and waits until its evidence record is durable. Outcomes come from <see cref="ExchangeOutcome"/>, the one vocabulary.
/// </summary>
public sealed partial class Exchanges
{
    private readonly IEvidenceRecorder _evidence;
    private readonly ILogger<Exchanges> _logger;
    private readonly Counter<long> _exchanges;
    private readonly Counter<long> _lookups;
    private readonly Histogram<double> _lookupDuration;

    public Exchanges(IEvidenceRecorder evidence, ILogger<Exchanges> logger, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _evidence = evidence;
        _logger = logger;
        var meter = meters.Create(HubMetricNames.Meter);
        _exchanges = meter.CreateCounter<long>(HubMetricNames.Exchanges, description: "Exchanges recorded, by operation and outcome");
        _lookups = meter.CreateCounter<long>(HubMetricNames.Lookups, description: "Lookups answered, by operation and outcome");
        _lookupDuration = meter.CreateHistogram<double>(HubMetricNames.LookupDuration, unit: "s", description: "Lookup time including the upstream call");
    }

    /// <summary>Counts the exchange and completes when its evidence record is durable.</summary>
    public ValueTask RecordAsync(ExchangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _exchanges.Add(1, new TagList { { "operation", record.Operation }, { "outcome", record.Outcome } });
        return _evidence.RecordAsync(record, CancellationToken.None);
    }

    /// <summary>
    /// A lookup (the four typed ones and the generic one), whatever its outcome: counted with its upstream and duration,
    /// logged with the subject masked (at Debug when answered, since its evidence record is the record and a line per
    /// lookup costs CPU on the hot path; at Information otherwise), and recorded.
    /// </summary>
    public ValueTask LookupAsync(LookupExchange lookup, ExchangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(record);
        var upstream = record.Upstream ?? "none";
        var tags = new TagList { { "operation", lookup.Operation }, { "upstream", upstream }, { "outcome", record.Outcome } };
        _lookups.Add(1, tags);
        _lookupDuration.Record(lookup.Elapsed.TotalSeconds, tags);
        if (record.Outcome == ExchangeOutcome.Ok)
        {
            LogLookupAnswered(lookup.Operation, upstream, lookup.MaskedSubject, record.Outcome, record.RequestId, lookup.Elapsed.TotalMilliseconds);
        }
        else
        {
            LogLookup(lookup.Operation, upstream, lookup.MaskedSubject, record.Outcome, record.RequestId, lookup.Elapsed.TotalMilliseconds);
        }

        return RecordAsync(record);
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

    private const string LookupMessage = "{Operation} via {Upstream} for {Subject}: {Outcome} (request {RequestId}, {ElapsedMs:0.0} ms)";

    [LoggerMessage(Level = LogLevel.Debug, Message = LookupMessage)]
    private partial void LogLookupAnswered(string operation, string upstream, string subject, string outcome, string? requestId, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = LookupMessage)]
    private partial void LogLookup(string operation, string upstream, string subject, string outcome, string? requestId, double elapsedMs);
}

/// <summary>What a lookup adds to its exchange record for metrics and the log line: the operation (<c>VerifyCitizen</c>), the subject already masked, and the time it took.</summary>
public sealed record LookupExchange(string Operation, string MaskedSubject, TimeSpan Elapsed);
