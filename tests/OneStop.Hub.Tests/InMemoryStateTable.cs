using System.Collections.Concurrent;
using OneStop.Hub.State;

namespace OneStop.Hub.Tests;

/// <summary>
/// A state table in memory with the same version rule as the Kafka one (an entry never replaces an equal or newer
/// version). <see cref="ArriveFromLog"/> plays a record read back from the log, possibly late.
/// </summary>
internal sealed class InMemoryStateTable(string name = "test") : IStateTable
{
    private readonly ConcurrentDictionary<string, StateEntry> _entries = new(StringComparer.Ordinal);

    public string Name => name;

    public string? Problem => null;

    public int Writes { get; private set; }

    public List<StateEntry> Log { get; } = [];

    public StateEntry? Get(string key) => _entries.TryGetValue(key, out var e) && !e.IsDeleted ? e : null;

    public IEnumerable<StateEntry> Scan(string keyPrefix) =>
        _entries.Values.Where(e => e.Key.StartsWith(keyPrefix, StringComparison.Ordinal) && !e.IsDeleted).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

    public Task WriteAsync(IReadOnlyCollection<StateEntry> entries, CancellationToken cancellationToken)
    {
        lock (Log)
        {
            Writes++;
            foreach (var e in entries)
            {
                Log.Add(e);
                ArriveFromLog(e);
            }
        }

        return Task.CompletedTask;
    }

    public void ArriveFromLog(StateEntry entry) =>
        _entries.AddOrUpdate(entry.Key, entry, (_, held) => entry.Version > held.Version ? entry : held);

    public Task CatchUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
