using System.Collections.Concurrent;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Issue 4's proof under faults: the hub runs as a separate OS process and is killed with SIGKILL and restarted
/// while 5,000 events over 500 dossiers are published, and EMC is down for part of the run. Kafka and the
/// destination fakes live in the test process, so they outlive every hub process. Afterwards every fake holds
/// exactly the expected side effects: none missing, none duplicated, each dossier's order kept.
/// </summary>
public sealed class FaultProofTests
{
    private const int Dossiers = 500;
    private const int Kills = 3;

    // Each dossier's life: received, accepted, processing steps, a supplement request, the result, and its return.
    // Every tenth dossier is withdrawn after its result was ready (postal cancels the order it created).
    private static readonly int[] Life = [1, 2, 4, 4, 5, 4, 4, 9, 4, 10];
    private static readonly int[] WithdrawnLife = [1, 2, 4, 4, 5, 4, 4, 9, 4, 7];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nothing_acknowledged_is_lost_or_repeated_across_SIGKILLs_and_a_destination_outage()
    {
        using var kafka = new TestKafkaCluster();
        await using var systems = await TestSystems.StartAsync();
        var destinations = systems.Destinations;
        var settings = systems.Settings();

        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:SessionTimeoutMs"] = "6000";
        settings["Delivery:InitialBackoff"] = "00:00:00.100";
        settings["Delivery:MaxBackoff"] = "00:00:01";
        settings["Security:RateLimit:PermitsPerPeriod"] = "100000"; // a bulk publisher: the per-client limit is not under test here
        settings["Security:RateLimit:Burst"] = "100000";
        await using var hub = new HubProcess(settings);
        await hub.StartAsync(Ct);

        var plan = Enumerable.Range(0, Dossiers).Select(i => new DossierPlan($"000.00.01.H56-261125-{i:0000}", i % 3 == 0 ? 1 : 0, i % 10 == 0 ? WithdrawnLife : Life)).ToList();
        var acked = 0;
        var retries = 0;
        var eventIds = new ConcurrentDictionary<string, (string MaHoSo, int Index, int Status, int HinhThuc)>();
        var client = new DossierService.DossierServiceClient(hub.Grpc.WithApiKey());

        // Publishers: each dossier's events one after another (an event is published only once the previous one
        // was acknowledged), 16 dossiers at a time. A failed publish is retried with the same client_event_id.
        var queue = new ConcurrentQueue<DossierPlan>(plan);
        var publishers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var d))
            {
                for (var k = 0; k < d.Statuses.Length; k++)
                {
                    var e = DossierRoutingTests.Event(d.MaHoSo, d.Statuses[k], $"{d.MaHoSo}#{k}", d.HinhThuc);
                    var deadline = DateTime.UtcNow.AddMinutes(3);
                    while (true)
                    {
                        try
                        {
                            var reply = await client.PublishEventAsync(e, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Ct);
                            eventIds[reply.EventId] = (d.MaHoSo, k, d.Statuses[k], d.HinhThuc);
                            Interlocked.Increment(ref acked);
                            break;
                        }
                        catch (RpcException) when (DateTime.UtcNow < deadline)
                        {
                            Interlocked.Increment(ref retries);
                            await Task.Delay(200, Ct);
                        }
                    }
                }
            }
        }, Ct)).ToList();

        // The faults: SIGKILL and restart at three points of the run; EMC down between two of them.
        var total = plan.Sum(d => d.Statuses.Length);
        int[] killAt = [total / 5, total * 9 / 20, total * 7 / 10];
        var emcDownAt = total * 3 / 10;
        var emcUpAt = total * 6 / 10;
        var emcWasDown = false;
        foreach (var point in killAt)
        {
            while (Volatile.Read(ref acked) < point)
            {
                if (!emcWasDown && Volatile.Read(ref acked) >= emcDownAt)
                {
                    destinations.Emc.Faults.Status5xx = -1;
                    emcWasDown = true;
                }

                if (emcWasDown && Volatile.Read(ref acked) >= emcUpAt)
                {
                    destinations.Emc.Faults.Clear();
                }

                await Task.Delay(20, Ct);
            }

            hub.Kill();
            await hub.StartAsync(Ct);
        }

        while (publishers.Any(p => !p.IsCompleted))
        {
            if (Volatile.Read(ref acked) >= emcUpAt)
            {
                destinations.Emc.Faults.Clear();
            }

            await Task.Delay(50, Ct);
        }

        await Task.WhenAll(publishers);
        destinations.Emc.Faults.Clear();
        acked.ShouldBe(total);

        // What each destination must end up with, by event: portal and EMC every event; postal an order for a
        // ready result returned by post, and its cancellation when such a dossier is withdrawn.
        var expected = new Dictionary<string, HashSet<string>>
        {
            ["portal"] = [.. eventIds.Keys],
            ["emc"] = [.. eventIds.Keys],
            ["postal"] = [.. eventIds.Where(kv => kv.Value.HinhThuc == 1 && kv.Value.Status is 9 or 7).Select(kv => kv.Key)],
        };
        var mocks = new Dictionary<string, DestinationMock> { ["portal"] = destinations.Portal, ["emc"] = destinations.Emc, ["postal"] = destinations.Postal };

        var settleBy = DateTime.UtcNow.AddMinutes(5);
        while (mocks.Any(m => !expected[m.Key].IsSubsetOf(EventIdsOf(m.Value))) && DateTime.UtcNow < settleBy)
        {
            await Task.Delay(500, Ct);
        }

        await Task.Delay(2000, Ct); // anything still in flight would show up as a duplicate now
        var report = new List<string>
        {
            $"fault proof: {total} events over {Dossiers} dossiers acknowledged, {retries} publish retries, hub started {hub.Starts} times ({Kills} SIGKILLs), EMC down between events {emcDownAt} and {emcUpAt}",
        };
        foreach (var (name, mock) in mocks)
        {
            var effects = mock.SideEffects.Where(s => s.IdempotencyKey is not null).ToList();
            var ids = EventIdsOf(mock);
            var missing = expected[name].Except(ids).Count();
            var duplicated = effects.GroupBy(s => (s.IdempotencyKey, s.Operation)).Count(g => g.Count() > 1);
            var unexpected = ids.Except(expected[name]).Count();
            var outOfOrder = effects
                .Select(s => (s.Sequence, Info: eventIds[EventIdOf(s)]))
                .GroupBy(x => x.Info.MaHoSo)
                .Count(g => !IsNonDecreasing(g.OrderBy(x => x.Sequence).Select(x => x.Info.Index)));
            report.Add($"{name}: {effects.Count} side effects for {expected[name].Count} expected events; missing {missing}, duplicated {duplicated}, unexpected {unexpected}, dossiers out of order {outOfOrder}; repeats absorbed by idempotency keys {mock.DuplicatesSuppressed}");
            TestContext.Current.TestOutputHelper!.WriteLine(report[^1]);
        }

        TestContext.Current.TestOutputHelper!.WriteLine(report[0]);
        foreach (var (name, mock) in mocks)
        {
            var effects = mock.SideEffects.Where(s => s.IdempotencyKey is not null).ToList();
            expected[name].Except(EventIdsOf(mock)).ShouldBeEmpty($"{name}: none missing\n{string.Join('\n', report)}");
            effects.GroupBy(s => (s.IdempotencyKey, s.Operation)).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty($"{name}: none duplicated");
            EventIdsOf(mock).Except(expected[name]).ShouldBeEmpty($"{name}: nothing unexpected");
            foreach (var dossier in effects.Select(s => (s.Sequence, Info: eventIds[EventIdOf(s)])).GroupBy(x => x.Info.MaHoSo))
            {
                IsNonDecreasing(dossier.OrderBy(x => x.Sequence).Select(x => x.Info.Index)).ShouldBeTrue($"{name}: order of {dossier.Key}");
            }

            // A wire repeat may only come from the crash window between a side effect and its checkpoint: at most the
            // deliveries in flight at each kill (Delivery:MaxConcurrency per destination), never from lost state.
            mock.DuplicatesSuppressed.ShouldBeLessThanOrEqualTo(Kills * MaxConcurrency, $"{name}: repeats only from the crash windows");
        }

        // The trail is exact: every (event, destination) is DELIVERED where the destination has the side effect and
        // NOT_APPLICABLE where it does not want the event; nothing stays PENDING. (Postal also takes every withdrawal,
        // to cancel an order; for a dossier without an order that call has no side effect, and is DELIVERED.)
        DeliveryState Expected(string name, string eventId) =>
            expected[name].Contains(eventId) || (name == "postal" && eventIds[eventId].Status == 7) ? DeliveryState.Delivered : DeliveryState.NotApplicable;
        var admin = new AdminService.AdminServiceClient(hub.Grpc.WithApiKey());
        foreach (var d in plan)
        {
            await Eventually.Until(
                () => admin.GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = d.MaHoSo }, cancellationToken: Ct).ResponseAsync,
                t => t.Events.Count == d.Statuses.Length && t.Events.All(e => mocks.Keys.All(name => e.Deliveries.Single(x => x.Destination == name).State == Expected(name, e.EventId))),
                $"the trail of {d.MaHoSo} matches what the destinations hold", TimeSpan.FromSeconds(60));
        }
    }

    private const int MaxConcurrency = 32;

    private static string EventIdOf(SideEffect s) => s.IdempotencyKey!.Split(':')[0];

    private static HashSet<string> EventIdsOf(DestinationMock mock) =>
        [.. mock.SideEffects.Where(s => s.IdempotencyKey is not null).Select(EventIdOf)];

    private static bool IsNonDecreasing(IEnumerable<int> values)
    {
        var last = int.MinValue;
        foreach (var v in values)
        {
            if (v < last)
            {
                return false;
            }

            last = v;
        }

        return true;
    }

    private sealed record DossierPlan(string MaHoSo, int HinhThuc, int[] Statuses);
}
