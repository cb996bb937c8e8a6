using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>
/// The delivery rules for one destination, apart from any transport. The caller (a log consumer) hands over each
/// dossier's records in log order, one at a time per dossier, and may hand over different dossiers concurrently.
/// <list type="bullet">
/// <item>Deliver: an event the destination wants is delivered once; its state (the checkpoint) and evidence are
/// durable before the call returns, so the caller may then move its log position.</item>
/// <item>Retry: a transient failure (destination down or slow) returns a backoff with jitter; the caller hands the
/// same record over again after it. Only this dossier waits.</item>
/// <item>Park: a refusal (after <see cref="DeliveryOptions.RefusalsBeforePark"/>), or a transient failure lasting
/// <see cref="DeliveryOptions.ParkAfterTransientFor"/>, parks the dossier here; its later events queue behind it.</item>
/// <item>Replay: an operator's request delivers the parked queue in order; a refusal parks it again.</item>
/// </list>
/// State is read from the store for every record (never cached here), and each write carries the next version.
/// </summary>
public sealed partial class DestinationDelivery
{
    private readonly IDeliveryAdapter _adapter;
    private readonly IDeliveryStateStore _states;
    private readonly IEvidenceRecorder _evidence;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly DeliveryMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Attempts> _attempts = new(StringComparer.Ordinal);
    private CancellationTokenSource _recovered = new();

    public DestinationDelivery(
        IDeliveryAdapter adapter, IDeliveryStateStore states, IEvidenceRecorder evidence, DeliveryOptions options, TimeProvider time, Random random,
        ILogger logger, DeliveryMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        _adapter = adapter;
        _states = states;
        _evidence = evidence;
        _options = options;
        _time = time;
        _random = random;
        _logger = logger;
        _metrics = metrics;
    }

    public string Destination => _adapter.Destination;

    /// <summary>
    /// Cancelled when the destination is seen to be back: an event that had failed transiently is delivered. A
    /// caller waiting out a retry backoff for this destination may link it and try again at once, so a backlog
    /// drains when the destination returns rather than when each dossier's backoff ends. Read it again after it fires.
    /// </summary>
    public CancellationToken Recovered => Volatile.Read(ref _recovered).Token;

    /// <summary>Handles one accepted event. Returns null when done, or how long to wait before handing it over again.</summary>
    public async Task<TimeSpan?> HandleEventAsync(DossierEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_adapter.Wants(e))
        {
            return null; // not this destination's: its state is not read at all (the postal operator wants few events)
        }

        var state = _states.Get(Destination, e.MaHoSo) ?? DeliveryState.Empty(Destination, e.MaHoSo);
        if (state.Delivered.Contains(e.EventId) || state.Parked.Any(p => p.EventId == e.EventId))
        {
            return null;
        }

        if (state.IsParked)
        {
            // Wait behind the refused event: later events of a parked dossier never overtake it.
            var queued = state.Next(_time.GetUtcNow()) with { Parked = [.. state.Parked, e] };
            await Task.WhenAll(
                _states.SaveAsync(queued, cancellationToken),
                RecordAsync("Delivery", e, "queued_behind_parked", null, cancellationToken)).ConfigureAwait(false);
            _metrics?.Parked(Destination);
            return null;
        }

        var outcome = await TryDeliverAsync(e, state, replay: false, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        switch (outcome.Result)
        {
            case Result.Delivered:
                await Task.WhenAll(_states.SaveAsync(state.Next(now).WithDelivered(e.EventId), cancellationToken), outcome.Evidence).ConfigureAwait(false);
                _metrics?.Delivered(Destination, replay: false);
                return null;
            case Result.Park:
                await Task.WhenAll(
                    _states.SaveAsync(state.Next(now) with { Parked = [e], Retrying = null, LastError = outcome.Error, ParkedAt = now }, cancellationToken),
                    outcome.Evidence).ConfigureAwait(false);
                _metrics?.Parked(Destination);
                LogParked(Destination, e.MaHoSo, e.EventId, outcome.Error ?? "");
                return null;
            default:
                var save = state.Retrying != e.EventId || state.LastError != outcome.Error
                    ? _states.SaveAsync(state.Next(now) with { Retrying = e.EventId, LastError = outcome.Error }, cancellationToken)
                    : Task.CompletedTask;
                await Task.WhenAll(save, outcome.Evidence).ConfigureAwait(false);
                _metrics?.Retried(Destination);
                return outcome.RetryIn;
        }
    }

    /// <summary>Handles a replay request: delivers the parked queue in order. Null when done, or a wait (destination down).</summary>
    public async Task<TimeSpan?> HandleReplayAsync(ReplayRequest replay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replay);
        if (replay.Destination != Destination)
        {
            return null;
        }

        var state = _states.Get(Destination, replay.MaHoSo);
        if (state is null || !state.IsParked)
        {
            await RecordReplayAsync(replay, "nothing_parked", cancellationToken).ConfigureAwait(false);
            return null;
        }

        while (state.IsParked)
        {
            var e = state.Parked[0];
            var outcome = await TryDeliverAsync(e, state, replay: true, cancellationToken).ConfigureAwait(false);
            await outcome.Evidence.ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (outcome.Result == Result.Retry)
            {
                _metrics?.Retried(Destination);
                return outcome.RetryIn; // destination down: the replay request is handed over again after the wait
            }

            if (outcome.Result == Result.Park)
            {
                await Task.WhenAll(
                    _states.SaveAsync(state.Next(now) with { LastError = outcome.Error, ParkedAt = now }, cancellationToken),
                    RecordReplayAsync(replay, "refused_again", cancellationToken)).ConfigureAwait(false);
                return null;
            }

            state = state.Next(now).WithDelivered(e.EventId) with { Parked = [.. state.Parked.Skip(1)] };
            if (!state.IsParked)
            {
                state = state with { LastError = null, ParkedAt = null };
            }

            await _states.SaveAsync(state, cancellationToken).ConfigureAwait(false);
            _metrics?.Delivered(Destination, replay: true);
        }

        await RecordReplayAsync(replay, "ok", cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<Outcome> TryDeliverAsync(DossierEvent e, DeliveryState state, bool replay, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var attempts = _attempts.GetOrAdd(e.EventId, _ => new Attempts(now));
        attempts.Count++;
        var kind = replay ? "Replay" : "Delivery";
        using var span = Diagnostics.HubActivities.StartDeliveryAttempt(Destination, e.EventId, attempts.Count, replay);
        try
        {
            var receipt = await _adapter.DeliverAsync(e, new DeliveryCall($"{e.EventId}:{Destination}", attempts.Count, state.Delivered.Count > 0), ct).ConfigureAwait(false);
            _attempts.TryRemove(e.EventId, out _);
            if (attempts.FailedTransiently)
            {
                SignalRecovered();
            }

            return new Outcome(Result.Delivered, null, null, RecordAsync(kind, e, "ok", receipt.MappingVersion, ct));
        }
        catch (UpstreamException u) when (!ct.IsCancellationRequested)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, u.Failure.ToString());
            var evidence = RecordAsync(kind, e, ExchangeOutcome.Of(u.Failure), null, ct);
            if (u.Failure is UpstreamFailure.Unavailable or UpstreamFailure.Timeout)
            {
                attempts.Refusals = 0;
                attempts.FailedTransiently = true;
                if (now - attempts.FirstFailure < _options.ParkAfterTransientFor)
                {
                    return new Outcome(Result.Retry, u.Message, Backoff(attempts.Count), evidence);
                }
            }
            else
            {
                attempts.Refusals++;
                if (!replay && attempts.Refusals < _options.RefusalsBeforePark)
                {
                    return new Outcome(Result.Retry, u.Message, Backoff(attempts.Count), evidence);
                }
            }

            _attempts.TryRemove(e.EventId, out _);
            return new Outcome(Result.Park, u.Message, null, evidence);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect in an adapter must not lose the event: keep it, log it, try again later.
            LogAdapterDefect(ex, Destination, e.EventId);
            return new Outcome(Result.Retry, $"internal error in the {Destination} adapter", Backoff(attempts.Count), Task.CompletedTask);
        }
    }

    private void SignalRecovered()
    {
        // Not disposed: a lane may still be reading its token (a source without a timer holds nothing to release).
        Interlocked.Exchange(ref _recovered, new CancellationTokenSource()).Cancel();
    }

    /// <summary>Exponential backoff from <see cref="DeliveryOptions.InitialBackoff"/>, capped, with 50–100% jitter.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exp = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exp, _options.MaxBackoff.TotalMilliseconds);
        double jitter;
        lock (_random)
        {
            jitter = _random.NextDouble();
        }

        return TimeSpan.FromMilliseconds(capped * (0.5 + (jitter / 2)));
    }

    private Task RecordAsync(string kind, DossierEvent e, string outcome, string? mappingVersion, CancellationToken ct) =>
        _evidence.RecordAsync(new ExchangeRecord
        {
            Client = "hub",
            Operation = $"{kind}/{Destination}",
            Time = _time.GetUtcNow(),
            Outcome = outcome,
            RequestDigest = ExchangeRecord.Digest(JsonSerializer.SerializeToUtf8Bytes(e, CanonicalJson.Default.DossierEvent)),
            MappingVersion = mappingVersion,
            Upstream = Destination,
            RequestId = e.EventId,
            MaHoSo = e.MaHoSo,
        }, ct).AsTask();

    private Task RecordReplayAsync(ReplayRequest replay, string outcome, CancellationToken ct) =>
        _evidence.RecordAsync(new ExchangeRecord
        {
            Client = replay.RequestedBy,
            Operation = $"Replay/{Destination}",
            Time = _time.GetUtcNow(),
            Outcome = outcome,
            Upstream = Destination,
            RequestId = replay.RequestId,
            MaHoSo = replay.MaHoSo,
        }, ct).AsTask();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Destination}: dossier {MaHoSo} parked at event {EventId}: {Error}")]
    private partial void LogParked(string destination, string maHoSo, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {Destination}: adapter failed unexpectedly on event {EventId}; will retry")]
    private partial void LogAdapterDefect(Exception exception, string destination, string eventId);

    private enum Result
    {
        Delivered,
        Retry,
        Park,
    }

    /// <param name="Evidence">The evidence write of the attempt, already started: awaited with the state write.</param>
    private sealed record Outcome(Result Result, string? Error, TimeSpan? RetryIn, Task Evidence);

    private sealed class Attempts(DateTimeOffset firstFailure)
    {
        public DateTimeOffset FirstFailure { get; } = firstFailure;

        public int Count { get; set; }

        public int Refusals { get; set; }

        public bool FailedTransiently { get; set; }
    }
}
