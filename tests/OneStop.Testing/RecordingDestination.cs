using System.Collections.Concurrent;
using OneStop.Adapters;
using OneStop.Schemas.Canonical;

namespace OneStop.Testing;

/// <summary>
/// A destination for routing tests: records every side effect in order per dossier, honours idempotency keys
/// (a repeated key is counted as a wire duplicate, not a second side effect), and can be made to be down or to
/// refuse one dossier.
/// </summary>
public sealed class RecordingDestination(string destination, Func<DossierEvent, bool>? wants = null) : IDeliveryAdapter
{
    private readonly ConcurrentDictionary<string, List<DossierEvent>> _byDossier = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private int _calls;
    private int _wireDuplicates;

    public string Destination { get; } = destination;

    /// <summary>While true, every call fails as if the destination were unreachable.</summary>
    public bool Down { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public int WireDuplicates => Volatile.Read(ref _wireDuplicates);

    public int SideEffects => _byDossier.Values.Sum(l => { lock (l) { return l.Count; } });

    public void Refuse(string maHoSo) => _refused[maHoSo] = 0;

    public void Accept(string maHoSo) => _refused.TryRemove(maHoSo, out _);

    public IReadOnlyList<DossierEvent> For(string maHoSo)
    {
        if (!_byDossier.TryGetValue(maHoSo, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    public bool Wants(DossierEvent dossierEvent) => wants?.Invoke(dossierEvent) ?? true;

    public Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        ArgumentNullException.ThrowIfNull(call);
        Interlocked.Increment(ref _calls);
        if (Down)
        {
            throw new UpstreamException(Destination, UpstreamFailure.Unavailable, "connection refused (test destination down)");
        }

        if (_refused.ContainsKey(dossierEvent.MaHoSo))
        {
            throw new UpstreamException(Destination, UpstreamFailure.Rejected, "test destination refuses this dossier");
        }

        if (!_keys.TryAdd(call.IdempotencyKey, 0))
        {
            Interlocked.Increment(ref _wireDuplicates);
            return Task.FromResult(new DeliveryReceipt("duplicate ignored", null));
        }

        var list = _byDossier.GetOrAdd(dossierEvent.MaHoSo, _ => []);
        lock (list)
        {
            list.Add(dossierEvent);
        }

        return Task.FromResult(new DeliveryReceipt("recorded", null));
    }
}
