namespace OneStop.Hub.State;

/// <summary>
/// One versioned entry of a state table. <see cref="Value"/> null is a deletion (a tombstone that still carries
/// its version, so an older write read back later cannot bring the key back).
/// </summary>
/// <param name="Key">The table key (also the Kafka record key: one key stays on one partition, in order).</param>
/// <param name="Version">Per-key version chosen by the writer (a sequence, or the offset of the source record).
/// A table never lets an entry replace one with an equal or higher version.</param>
/// <param name="Value">The value bytes (the table does not interpret them), or null for a deletion.</param>
public sealed record StateEntry(string Key, long Version, byte[]? Value)
{
    public bool IsDeleted => Value is null;
}

/// <summary>
/// A keyed table that every hub instance can rebuild: the durable copy is a compacted log (Kafka), each
/// instance keeps a local materialised copy with the log positions it has applied checkpointed alongside, and
/// resumes from that checkpoint at start instead of re-reading history (Kafka Streams' KTable pattern).
/// Transport-free: the core sees only this interface.
/// </summary>
public interface IStateTable
{
    string Name { get; }

    /// <summary>The newest entry this instance holds for <paramref name="key"/>, or null when absent or deleted.</summary>
    StateEntry? Get(string key);

    /// <summary>Live entries whose key starts with <paramref name="keyPrefix"/>, in key order, read lazily from the local store.</summary>
    IEnumerable<StateEntry> Scan(string keyPrefix);

    /// <summary>
    /// Writes the entries durably (the log acknowledged every one: acks=all) and then applies them locally, so the
    /// writer reads its own writes. Entries are sent together (one round trip for a batch). An entry whose version
    /// is not newer than the one held for its key is dropped, here and on every instance that reads it back.
    /// Completes only when all are durable; throws <see cref="HubException"/> (Unavailable) when one is not.
    /// </summary>
    Task WriteAsync(IReadOnlyCollection<StateEntry> entries, CancellationToken cancellationToken);

    /// <summary>Completes once this instance has applied everything the log held when the call was made
    /// (e.g. after taking over partitions, to see the previous owner's last writes).</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);

    /// <summary>Null while healthy; otherwise why this table may be incomplete (e.g. records lost from the log before they were read).</summary>
    string? Problem { get; }
}

/// <summary>The state tables registered in this hub, by name.</summary>
public interface IStateStore
{
    /// <summary>The table registered under <paramref name="name"/>; throws when there is none.</summary>
    IStateTable Table(string name);
}
