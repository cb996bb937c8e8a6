using System.Text.Json;
using OneStop.Hub.State;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>
/// The compacted index of accepted events, in a state table:
/// <list type="bullet">
/// <item><c>e|{event_id}</c> → ma_ho_so: duplicate detection of (client, client_event_id) without holding every id in memory;</item>
/// <item><c>d|{ma_ho_so}|{event_id}</c> → the event as the trail lists it, written by the single owner of the
/// dossier's log partition (the indexer), in log order, for every event whose <c>a|</c> entry is missing or
/// differs (so every logged event is listed, even when ingest stopped before its index write);</item>
/// <item><c>a|{ma_ho_so}|{event_id}</c> → the same, written by ingest before it answers, so the trail shows an event at once.
/// Two instances accepting events of one dossier at the same moment each write their own key, and the trail merges
/// both kinds.</item>
/// </list>
/// One key per event, so adding an event writes only that event: a dossier's list is never read and rewritten whole
/// (a dossier with n events used to cost n entries' worth of reading, decoding and writing at its next event). Stores
/// written before kept one list per dossier (<c>d|{ma_ho_so}</c>, <c>a|{ma_ho_so}</c>); those are still read.
/// Versions are the events' offsets in the dossier log, so a late or repeated write never takes an entry back.
/// </summary>
public sealed class DossierIndex(IStateTable table)
{
    public const string TableName = "dossier-index";

    public bool ContainsEvent(string eventId) => table.Get(DuplicateKey(eventId)) is not null;

    /// <summary>The dossier's events in log order, or null when the hub holds none.</summary>
    public IReadOnlyList<IndexedEvent>? Events(string maHoSo)
    {
        var events = new List<IndexedEvent>();
        foreach (var kind in (ReadOnlySpan<string>)["d", "a"])
        {
            foreach (var entry in table.Scan(Key(kind, maHoSo, eventId: "")))
            {
                if (entry.Value is { } v && JsonSerializer.Deserialize(v, DeliveryJson.Default.IndexedEvent) is { } e)
                {
                    events.Add(e);
                }
            }

            if (table.Get($"{kind}|{maHoSo}") is { Value: { } list })
            {
                events.AddRange(JsonSerializer.Deserialize(list, DeliveryJson.Default.ListIndexedEvent) ?? []);
            }
        }

        return events.Count == 0 ? null : [.. events.DistinctBy(e => e.EventId).OrderBy(e => e.Position)];
    }

    /// <summary>Records an accepted event (by ingest, after the log acknowledged it at <see cref="IndexedEvent.Position"/>).</summary>
    public Task AddAcceptedAsync(string maHoSo, IndexedEvent accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return table.WriteAsync(
        [
            new StateEntry(DuplicateKey(accepted.EventId), accepted.Position, System.Text.Encoding.UTF8.GetBytes(maHoSo)),
            Entry("a", maHoSo, accepted),
        ], cancellationToken);
    }

    /// <summary>
    /// Adds the event to its dossier's authoritative entries. Called by the single owner of the dossier's log
    /// partition, in log order; a repeat (after a crash) is dropped here, and by version in the store. Nothing is
    /// written when ingest's entry for the event already holds exactly what this one would (the same position and
    /// destinations): the trail would list the same event from either key, and skipping it saves a Kafka record per
    /// event. The entry is written when ingest's is missing (it stopped between the log's acknowledgement and its index
    /// write, or this instance has not read it yet) or differs (instances configured with other destinations).
    /// </summary>
    /// <returns>True when an entry was written.</returns>
    public async Task<bool> AddToDossierAsync(string maHoSo, IndexedEvent indexed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexed);
        var entry = Entry("d", maHoSo, indexed);
        var accepted = table.Get(Key("a", maHoSo, indexed.EventId));
        var asIngestWroteIt = accepted is { Value: { } value } && accepted.Version == entry.Version && value.AsSpan().SequenceEqual(entry.Value);
        if (asIngestWroteIt || table.Get(entry.Key) is not null)
        {
            return false;
        }

        await table.WriteAsync([entry], cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task CatchUpAsync(CancellationToken cancellationToken) => table.CatchUpAsync(cancellationToken);

    private static string Key(string kind, string maHoSo, string eventId) => $"{kind}|{maHoSo}|{eventId}";

    private static string DuplicateKey(string eventId) => $"e|{eventId}";

    private static StateEntry Entry(string kind, string maHoSo, IndexedEvent e) =>
        new(Key(kind, maHoSo, e.EventId), e.Position, JsonSerializer.SerializeToUtf8Bytes(e, DeliveryJson.Default.IndexedEvent));
}
