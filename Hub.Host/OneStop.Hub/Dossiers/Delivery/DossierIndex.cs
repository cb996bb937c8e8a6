using System.Text.Json;
using OneStop.Hub.State;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>
/// The compacted index of accepted events, in a state table:
/// <list type="bullet">
/// <item><c>e|{event_id}</c> → ma_ho_so: duplicate detection of (client, client_event_id) without holding every id in memory;</item>
/// <item><c>d|{ma_ho_so}</c> → the dossier's events as the trail lists them, written by the single owner of the
/// dossier's log partition (the indexer), in log order: authoritative;</item>
/// <item><c>a|{ma_ho_so}</c> → the same, written by ingest before it answers, so the trail shows an event at once.
/// Two instances accepting events of one dossier at the same moment may each miss the other's here; the indexer's
/// list never misses one, and the trail merges both.</item>
/// </list>
/// Versions are the events' offsets in the dossier log, so a late or repeated write never takes an entry back.
/// </summary>
public sealed class DossierIndex(IStateTable table)
{
    public const string TableName = "dossier-index";

    public bool ContainsEvent(string eventId) => table.Get($"e|{eventId}") is not null;

    /// <summary>The dossier's events in log order, or null when the hub holds none.</summary>
    public IReadOnlyList<IndexedEvent>? Events(string maHoSo)
    {
        var indexed = Read($"d|{maHoSo}");
        var accepted = Read($"a|{maHoSo}");
        if (indexed is null && accepted is null)
        {
            return null;
        }

        return [.. (indexed ?? []).Concat(accepted ?? []).DistinctBy(e => e.EventId).OrderBy(e => e.Position)];
    }

    /// <summary>Records an accepted event (by ingest, after the log acknowledged it at <see cref="IndexedEvent.Position"/>).</summary>
    public Task AddAcceptedAsync(string maHoSo, IndexedEvent accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var current = Read($"a|{maHoSo}") ?? [];
        List<IndexedEvent> next = [.. current.Where(e => e.EventId != accepted.EventId), accepted];
        return table.WriteAsync(
        [
            new StateEntry($"e|{accepted.EventId}", accepted.Position, System.Text.Encoding.UTF8.GetBytes(maHoSo)),
            new StateEntry($"a|{maHoSo}", accepted.Position, JsonSerializer.SerializeToUtf8Bytes(next, DeliveryJson.Default.ListIndexedEvent)),
        ], cancellationToken);
    }

    /// <summary>
    /// Adds the event to its dossier's authoritative list. Called by the single owner of the dossier's log partition,
    /// in log order, so the read-modify-write cannot race; a repeat (after a crash) is dropped by id and by version.
    /// </summary>
    public Task AddToDossierAsync(string maHoSo, IndexedEvent indexed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexed);
        var current = Read($"d|{maHoSo}") ?? [];
        if (current.Any(e => e.EventId == indexed.EventId))
        {
            return Task.CompletedTask;
        }

        List<IndexedEvent> next = [.. current, indexed];
        return table.WriteAsync([new StateEntry($"d|{maHoSo}", indexed.Position, JsonSerializer.SerializeToUtf8Bytes(next, DeliveryJson.Default.ListIndexedEvent))], cancellationToken);
    }

    public Task CatchUpAsync(CancellationToken cancellationToken) => table.CatchUpAsync(cancellationToken);

    private List<IndexedEvent>? Read(string key) =>
        table.Get(key) is { Value: { } v } ? JsonSerializer.Deserialize(v, DeliveryJson.Default.ListIndexedEvent) : null;
}
