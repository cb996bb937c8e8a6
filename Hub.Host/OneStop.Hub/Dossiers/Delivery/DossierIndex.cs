using System.Text.Json;
using OneStop.Hub.State;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>
/// The compacted index of accepted events: <c>e|{event_id}</c> → ma_ho_so (duplicate detection of
/// (client, client_event_id) without holding every id in memory) and <c>d|{ma_ho_so}</c> → the dossier's events as
/// the trail lists them. Versions are the offsets of the events in the dossier log, so a late or repeated write
/// never takes an entry back.
/// </summary>
public sealed class DossierIndex(IStateTable table)
{
    public const string TableName = "dossier-index";

    public bool ContainsEvent(string eventId) => table.Get($"e|{eventId}") is not null;

    public IReadOnlyList<IndexedEvent>? Events(string maHoSo) =>
        table.Get($"d|{maHoSo}") is { Value: { } v } ? JsonSerializer.Deserialize(v, DeliveryJson.Default.ListIndexedEvent) : null;

    /// <summary>Records that the event at <paramref name="logPosition"/> was accepted (written by ingest, before it answers).</summary>
    public Task AddEventIdAsync(string eventId, string maHoSo, long logPosition, CancellationToken cancellationToken) =>
        table.WriteAsync([new StateEntry($"e|{eventId}", logPosition, System.Text.Encoding.UTF8.GetBytes(maHoSo))], cancellationToken);

    /// <summary>
    /// Adds the event to its dossier's list. Called by the single owner of the dossier's log partition, in log order,
    /// so the read-modify-write cannot race; a repeat (after a crash) is dropped by id and by version.
    /// </summary>
    public Task AddToDossierAsync(string maHoSo, IndexedEvent indexed, long logPosition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexed);
        var current = Events(maHoSo) ?? [];
        if (current.Any(e => e.EventId == indexed.EventId))
        {
            return Task.CompletedTask;
        }

        var next = new List<IndexedEvent>(current) { indexed };
        return table.WriteAsync([new StateEntry($"d|{maHoSo}", logPosition, JsonSerializer.SerializeToUtf8Bytes(next, DeliveryJson.Default.ListIndexedEvent))], cancellationToken);
    }

    public Task CatchUpAsync(CancellationToken cancellationToken) => table.CatchUpAsync(cancellationToken);
}
