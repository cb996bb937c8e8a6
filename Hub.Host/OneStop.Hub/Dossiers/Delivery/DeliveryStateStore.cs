using System.Text.Json;
using OneStop.Hub.State;

namespace OneStop.Hub.Dossiers.Delivery;

/// <summary>Where delivery states live: reads are this instance's newest copy; writes are durable before they return.</summary>
public interface IDeliveryStateStore
{
    DeliveryState? Get(string destination, string maHoSo);

    /// <summary>Writes <paramref name="state"/> durably. A state whose version is not newer than the stored one is ignored.</summary>
    Task SaveAsync(DeliveryState state, CancellationToken cancellationToken);

    /// <summary>Parked dossiers (at one destination, or all), from an index kept beside the states: never a scan of every dossier.</summary>
    IEnumerable<DeliveryState> Parked(string? destination);

    /// <summary>Waits until this instance has read every state written before the call (e.g. after taking over partitions).</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Delivery states in a state table: <c>s|{destination}|{ma_ho_so}</c> holds the state, <c>p|{destination}|{ma_ho_so}</c>
/// is present while the dossier is parked there (same version), so listing parked dossiers reads only those.
/// </summary>
public sealed class StateTableDeliveryStore(IStateTable table) : IDeliveryStateStore
{
    public const string TableName = "delivery-state";

    public DeliveryState? Get(string destination, string maHoSo) =>
        table.Get($"s|{destination}|{maHoSo}") is { Value: { } v } ? JsonSerializer.Deserialize(v, DeliveryJson.Default.DeliveryState) : null;

    public Task SaveAsync(DeliveryState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = $"{state.Destination}|{state.MaHoSo}";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(state, DeliveryJson.Default.DeliveryState);
        var wasParked = table.Get($"p|{key}") is not null;
        List<StateEntry> entries = [new($"s|{key}", state.Version, bytes)];
        if (state.IsParked || wasParked)
        {
            entries.Add(new StateEntry($"p|{key}", state.Version, state.IsParked ? [1] : null));
        }

        return table.WriteAsync(entries, cancellationToken);
    }

    public IEnumerable<DeliveryState> Parked(string? destination)
    {
        foreach (var entry in table.Scan(destination is null ? "p|" : $"p|{destination}|"))
        {
            var parts = entry.Key.Split('|', 3);
            if (Get(parts[1], parts[2]) is { IsParked: true } state)
            {
                yield return state;
            }
        }
    }

    public Task CatchUpAsync(CancellationToken cancellationToken) => table.CatchUpAsync(cancellationToken);
}
