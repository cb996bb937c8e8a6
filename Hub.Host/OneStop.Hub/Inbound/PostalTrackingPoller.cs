using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OneStop.Adapters;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Inbound;

/// <summary>
/// Polls the postal operator's tracking feed from the persisted <c>lastId</c> (state table <c>postal-tracking-cursor</c>),
/// matches entries to dossiers by OrderNumber (the hub makes it the MaHoSo), and hands each matched entry to the
/// dossier's agency (the <c>{agency}</c> of <c>{agency}-{yyMMdd}-{NNNN}</c>) on the inbound topic as a
/// <c>postal_tracking</c> message. The cursor moves after the page's messages are durable, so a crash repeats a page
/// (same <c>message_id</c>) but never skips one. Entries for orders the hub does not know are passed over.
/// Each dossier's entries are also kept (state table <c>postal-tracking-trail</c>, at most
/// <see cref="MaxTrailEntries"/> per dossier) for its trail in the admin API.
/// </summary>
public sealed partial class PostalTrackingPoller(
    IPostalTrackingClient postal, IInboundLog log, IInboundState state, IDossierAdmin dossiers, TimeProvider time, IEvidenceRecorder evidence,
    ILogger<PostalTrackingPoller> logger) : IPostalTrackingTrail
{
    public const string CursorTable = "postal-tracking-cursor";

    /// <summary>State table of each dossier's tracking entries, keyed by MaHoSo.</summary>
    public const string TrailTable = "postal-tracking-trail";

    /// <summary>Most tracking entries kept per dossier (the newest).</summary>
    public const int MaxTrailEntries = 50;
    public const int PageSize = 100;
    public const int MaxPagesPerRun = 50;

    public long Cursor => state.Get(CursorTable, "lastId") is { } bytes && long.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, out var id) ? id : 0;

    /// <summary>Stage of a VNPost tracking status code.</summary>
    public static string StageOf(string statusCode) => statusCode switch
    {
        "1" => "created",
        "2" => "picked_up",
        "3" => "in_transit",
        "4" => "delivered",
        "5" => "returned",
        "6" => "cancelled",
        _ => "other",
    };

    /// <summary>Reads pages until the feed is exhausted (or <see cref="MaxPagesPerRun"/>); returns the messages sent.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var pages = 0; pages < MaxPagesPerRun; pages++)
        {
            var lastId = Cursor;
            var page = await postal.PageAsync(lastId, PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            var records = new List<InboundRecord>();
            foreach (var item in page)
            {
                if (dossiers.GetTrail(item.OrderNumber) is null || AccessPolicy.AgencyOf(item.OrderNumber) is not { } agency)
                {
                    continue;
                }

                records.Add(new InboundRecord
                {
                    MessageId = $"postal:{item.OrderNumber}:{item.Id.ToString(CultureInfo.InvariantCulture)}",
                    Kind = InboundRecord.PostalTrackingKind,
                    Agency = agency,
                    Source = "postal",
                    ReceivedAt = time.GetUtcNow(),
                    PostalTracking = new PostalTrackingUpdate
                    {
                        MaHoSo = item.OrderNumber,
                        TrackingId = item.Id,
                        ItemCode = item.ItemCode,
                        StatusCode = item.StatusCode,
                        StatusMessage = item.StatusMessage,
                        Stage = StageOf(item.StatusCode),
                        EventTime = DateTimeOffset.TryParse(item.EventTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null,
                        PostOffice = item.PosId,
                    },
                });
            }

            if (records.Count > 0)
            {
                await log.AppendAsync(records, cancellationToken).ConfigureAwait(false);
                var trails = records.Select(r => r.PostalTracking!).GroupBy(t => t.MaHoSo, StringComparer.Ordinal)
                    .Select(g => new KeyValuePair<string, byte[]?>(g.Key, JsonSerializer.SerializeToUtf8Bytes(
                        TrailOf(g.Key).Concat(g).DistinctBy(t => t.TrackingId).OrderBy(t => t.TrackingId).TakeLast(MaxTrailEntries).ToList(),
                        TrackingTrailJson.Default.ListPostalTrackingUpdate)))
                    .ToList();
                await state.PutAsync(TrailTable, trails, cancellationToken).ConfigureAwait(false);
            }

            var next = page.Max(i => i.Id);
            await state.PutAsync(CursorTable, [new("lastId", Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture)))], cancellationToken).ConfigureAwait(false);
            await evidence.RecordAsync(new ExchangeRecord
            {
                Client = "hub", Operation = "PostalTracking/Poll", Time = time.GetUtcNow(), Outcome = "ok", Upstream = "postal",
                RequestId = string.Create(CultureInfo.InvariantCulture, $"{lastId}..{next}"),
            }, CancellationToken.None).ConfigureAwait(false);
            sent += records.Count;
            LogPage(lastId, next, page.Count, records.Count);
        }

        return sent;
    }

    /// <summary>The dossier's tracking entries the hub matched so far, oldest first.</summary>
    public IReadOnlyList<PostalTrackingUpdate> TrailOf(string maHoSo) =>
        state.Get(TrailTable, maHoSo) is { } bytes ? JsonSerializer.Deserialize(bytes, TrackingTrailJson.Default.ListPostalTrackingUpdate) ?? [] : [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Postal tracking: entries {From}..{To}: {Read} read, {Matched} matched to dossiers")]
    private partial void LogPage(long from, long to, int read, int matched);
}

/// <summary>What the postal operator reported for a dossier's returned result, for the dossier's trail.</summary>
public interface IPostalTrackingTrail
{
    /// <summary>The dossier's tracking entries, oldest first (empty when there are none).</summary>
    IReadOnlyList<PostalTrackingUpdate> TrailOf(string maHoSo);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<PostalTrackingUpdate>))]
internal sealed partial class TrackingTrailJson : System.Text.Json.Serialization.JsonSerializerContext;
