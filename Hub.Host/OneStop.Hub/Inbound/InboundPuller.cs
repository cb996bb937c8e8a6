using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Hub.Diagnostics;
using OneStop.Hub.Evidence;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Inbound;

/// <summary>The persisted time window of one agency's pull: every day up to <see cref="CoveredTo"/> was read completely.</summary>
public sealed record PullCursor(DateOnly CoveredTo, DateTimeOffset UpdatedAt);

/// <summary>What one pull run did.</summary>
public sealed record PullOutcome(string Agency, string Result, DateOnly? From, DateOnly? To, int Listed, int Accepted, string? Error)
{
    public const string Done = "ok";
    public const string Failed = "failed";
    public const string BackingOff = "backing_off";
}

/// <summary>
/// One pull run for one receiving agency: <c>DanhSachHoSo</c> over the window from the persisted cursor (less
/// <see cref="InboundOptions.OverlapDays"/>) to today (Asia/Ho_Chi_Minh), then for each dossier not seen before
/// <c>TraCuuHoSo</c> and <c>LayTaiLieuHoSo</c> per file (stored by digest), accepted through <see cref="InboundIntake"/>;
/// the cursor moves only when the whole window was read. A failed run leaves the cursor, so the next run covers the
/// gap, and backs off (doubling with jitter) before it asks the portal again.
/// </summary>
public sealed partial class InboundPuller(
    IPortalInboundClient portal, InboundIntake intake, IInboundState state, IAttachmentStore attachments, InboundCatalogue catalogue,
    IOptions<InboundOptions> options, TimeProvider time, IEvidenceRecorder evidence, ILogger<InboundPuller> logger)
{
    public const string CursorTable = "inbound-pull-cursor";
    public const string Operation = "InboundPull/DanhSachHoSo";

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);
    private readonly Dictionary<string, (int Failures, DateTimeOffset NextAttempt)> _backoff = new(StringComparer.Ordinal);
    private readonly Random _jitter = new();

    public PullCursor? Cursor(string agency) =>
        state.Get(CursorTable, agency) is { } bytes ? JsonSerializer.Deserialize(bytes, PullJson.Default.PullCursor) : null;

    public async Task<PullOutcome> RunAsync(string agency, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agency);
        using var span = HubActivities.StartInboundPull(agency);
        var outcome = await PullAsync(agency, cancellationToken).ConfigureAwait(false);
        HubActivities.SetPullOutcome(span, outcome.Result, outcome.Listed, outcome.Accepted);
        return outcome;
    }

    private async Task<PullOutcome> PullAsync(string agency, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        lock (_backoff)
        {
            if (_backoff.TryGetValue(agency, out var b) && now < b.NextAttempt)
            {
                return new PullOutcome(agency, PullOutcome.BackingOff, null, null, 0, 0, null);
            }
        }

        var today = DateOnly.FromDateTime(now.ToOffset(Vietnam).DateTime);
        var cursor = Cursor(agency);
        var from = cursor is null ? today.AddDays(-o.InitialLookbackDays) : cursor.CoveredTo.AddDays(-o.OverlapDays);
        var listed = 0;
        var accepted = 0;
        try
        {
            var codes = await portal.ListAsync(agency, from, today, cancellationToken).ConfigureAwait(false);
            listed = codes.Count;
            foreach (var maHoSo in codes.Distinct(StringComparer.Ordinal))
            {
                if (intake.IsKnown(maHoSo))
                {
                    continue;
                }

                if (await FetchAsync(agency, maHoSo, cancellationToken).ConfigureAwait(false) is { } dossier)
                {
                    var added = await intake.AcceptAsync([(dossier, [])], "pull", cancellationToken).ConfigureAwait(false);
                    accepted += added[0] ? 1 : 0;
                }
            }

            var covered = cursor is { } c && c.CoveredTo > today ? c.CoveredTo : today;
            await state.PutAsync(CursorTable, [new(agency, JsonSerializer.SerializeToUtf8Bytes(new PullCursor(covered, now), PullJson.Default.PullCursor))], cancellationToken)
                .ConfigureAwait(false);
            lock (_backoff)
            {
                _backoff.Remove(agency);
            }

            await RecordAsync(agency, "ok", from, today, listed, accepted, null).ConfigureAwait(false);
            return new PullOutcome(agency, PullOutcome.Done, from, today, listed, accepted, null);
        }
        catch (Exception e) when (e is UpstreamException or HubException or HttpRequestException or IOException or TimeoutException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            TimeSpan pause;
            lock (_backoff)
            {
                var failures = _backoff.GetValueOrDefault(agency).Failures + 1;
                var exponential = o.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
                var capped = Math.Min(exponential, o.MaxBackoff.TotalMilliseconds);
                pause = TimeSpan.FromMilliseconds(capped * (0.5 + (_jitter.NextDouble() / 2)));
                _backoff[agency] = (failures, now + pause);
            }

            var reason = e is UpstreamException u ? u.Message : e.GetType().Name;
            LogFailed(agency, reason, pause);
            await RecordAsync(agency, "unavailable", from, today, listed, accepted, reason).ConfigureAwait(false);
            return new PullOutcome(agency, PullOutcome.Failed, from, today, listed, accepted, reason);
        }
    }

    /// <summary>The dossier's detail and files; null (recorded, skipped) when the portal's detail breaks a rule.</summary>
    private async Task<InboundDossier?> FetchAsync(string agency, string maHoSo, CancellationToken cancellationToken)
    {
        var detail = await portal.DetailAsync(agency, maHoSo, cancellationToken).ConfigureAwait(false);
        var dossier = InboundValidation.Read(detail, time.GetUtcNow(), out var errors, out _);
        if (dossier is not null && catalogue.Check(dossier.MaTthc, dossier.DonViXuLy) is { Count: > 0 } unknown)
        {
            errors = string.Join("; ", unknown);
            dossier = null;
        }

        if (dossier is null)
        {
            LogInvalid(maHoSo, errors ?? "");
            await evidence.RecordAsync(new ExchangeRecord
            {
                Client = "hub", Operation = "InboundPull/TraCuuHoSo", Time = time.GetUtcNow(), Outcome = "invalid", Upstream = "portal", MaHoSo = maHoSo,
            }, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        var documents = new List<InboundDocument>();
        foreach (var doc in dossier.TaiLieuNop)
        {
            if (doc.DuongDanTaiTepTin is { } path)
            {
                var content = await portal.FileAsync(agency, path, cancellationToken).ConfigureAwait(false);
                documents.Add(doc with { Sha256 = await attachments.PutAsync(content, cancellationToken).ConfigureAwait(false), SizeBytes = content.LongLength });
            }
            else
            {
                documents.Add(doc);
            }
        }

        return dossier with { TaiLieuNop = documents };
    }

    private ValueTask RecordAsync(string agency, string outcome, DateOnly from, DateOnly to, int listed, int accepted, string? error) =>
        evidence.RecordAsync(new ExchangeRecord
        {
            Client = "hub",
            Operation = Operation,
            Time = time.GetUtcNow(),
            Outcome = outcome,
            Upstream = "portal",
            RequestDigest = ExchangeRecord.Digest(string.Create(CultureInfo.InvariantCulture, $"{agency}|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}")),
            ResponseDigest = ExchangeRecord.Digest(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"listed={listed};accepted={accepted};{error}"))),
            RequestId = agency,
        }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound pull for {Agency} failed ({Reason}); the cursor stays and the next attempt waits {Pause}")]
    private partial void LogFailed(string agency, string reason, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound pull: the portal's detail of {MaHoSo} breaks rules ({Errors}); skipped")]
    private partial void LogInvalid(string maHoSo, string errors);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(PullCursor))]
internal sealed partial class PullJson : System.Text.Json.Serialization.JsonSerializerContext;
