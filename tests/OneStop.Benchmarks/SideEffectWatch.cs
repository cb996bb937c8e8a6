using System.Collections.Concurrent;
using System.Diagnostics;
using OneStop.Mocks;

namespace OneStop.Benchmarks;

/// <summary>
/// Polls a destination fake for the side effects of given events and notes when each was first seen, by a clock.
/// Reads only the side effects added since its last poll, so watching costs the same at the 10th and the 10,000th
/// event and takes little CPU from the hub it measures.
/// </summary>
internal static class SideEffectWatch
{
    /// <summary>
    /// Until every id in <paramref name="ids"/> has its side effect (and <paramref name="sending"/>, when given, has
    /// finished adding ids) or <paramref name="limit"/> passes: when each was first seen, in <paramref name="clock"/>
    /// ticks. A side effect seen before its publish's answer put its id in <paramref name="ids"/> counts from that
    /// answer.
    /// </summary>
    public static async Task<Dictionary<string, long>> SettleAsync(
        DestinationMock mock, ConcurrentDictionary<string, long> ids, Stopwatch clock, TimeSpan limit, TimeSpan poll, Task? sending = null)
    {
        var seen = new Dictionary<string, long>();
        var early = new Dictionary<string, long>();
        var deadline = Stopwatch.StartNew();
        var scanned = 0;
        while ((sending is { IsCompleted: false } || seen.Count < ids.Count) && deadline.Elapsed < limit)
        {
            var now = clock.ElapsedTicks;
            foreach (var (id, at) in early.Where(e => ids.ContainsKey(e.Key)).ToList())
            {
                seen.TryAdd(id, Math.Max(at, ids[id]));
                early.Remove(id);
            }

            var effects = mock.SideEffectsFrom(scanned);
            scanned += effects.Count;
            foreach (var effect in effects)
            {
                var id = EventId(effect);
                if (ids.ContainsKey(id))
                {
                    seen.TryAdd(id, now);
                }
                else
                {
                    early.TryAdd(id, now);
                }
            }

            await Task.Delay(poll);
        }

        return seen.Count > 0 ? seen : throw new TimeoutException($"no side effect at {mock.GetType().Name} within {limit}");
    }

    /// <summary>The hub's event id in a side effect's idempotency key (<c>{event_id}:{destination}</c>).</summary>
    public static string EventId(SideEffect effect) => effect.IdempotencyKey!.Split(':')[0];
}
