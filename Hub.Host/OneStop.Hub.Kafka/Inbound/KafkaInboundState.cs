using OneStop.Hub.Inbound;
using OneStop.Hub.State;

namespace OneStop.Hub.Kafka.Inbound;

/// <summary>
/// The inbound flow's keyed state on the shared state store: one compacted topic per table (<c>{prefix}.{table}</c>),
/// materialised into this instance's local RocksDB store with checkpointed offsets, so nothing is re-read from the
/// start at start-up and the seen-dossier table does not live in memory. Each write carries a version that is newer
/// than the one held (the clock's ticks, or held + 1), so an older write read back later never replaces it.
/// </summary>
internal sealed class KafkaInboundState(IStateStore store, TimeProvider time) : IInboundState
{
    /// <summary>Every table the inbound flow keeps.</summary>
    public static readonly string[] Tables =
    [
        InboundIntake.SeenTable, InboundPuller.CursorTable, KafkaInboundSubscriptions.AckTable, PostalTrackingPoller.CursorTable, PostalTrackingPoller.TrailTable,
        InboundCatalogue.ProcedureTable, InboundCatalogue.AgencyTable, InboundCatalogue.MetaTable,
    ];

    public byte[]? Get(string table, string key) => store.Table(table).Get(key)?.Value;

    public IEnumerable<KeyValuePair<string, byte[]>> Scan(string table) =>
        store.Table(table).Scan("").Where(e => e.Value is not null).Select(e => new KeyValuePair<string, byte[]>(e.Key, e.Value!));

    public Task PutAsync(string table, IReadOnlyCollection<KeyValuePair<string, byte[]?>> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var t = store.Table(table);
        var now = time.GetUtcNow().UtcTicks;
        var versioned = entries.Select(e => new StateEntry(e.Key, Math.Max(now, (t.Get(e.Key)?.Version ?? 0) + 1), e.Value)).ToList();
        return t.WriteAsync(versioned, cancellationToken);
    }

    public Task CatchUpAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Tables.Select(name => store.Table(name).CatchUpAsync(cancellationToken)));
}
