using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneStop.Adapters;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Hub.Evidence;
using OneStop.Schemas.Canonical;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class DestinationDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.FromHours(7)));
    private readonly InMemoryStateTable _table = new();
    private readonly FakeDestination _destination = new("emc");
    private readonly EvidenceLog _evidence = new();
    private readonly DeliveryOptions _options = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(2), RefusalsBeforePark = 3, ParkAfterTransientFor = TimeSpan.FromMinutes(5),
    };

    private StateTableDeliveryStore States => new(_table);

    private DestinationDelivery Delivery(int seed = 7) =>
        new(_destination, States, _evidence, _options, _time, new Random(seed), NullLogger.Instance);

    private static DossierEvent Event(string maHoSo, int n, int hinhThuc = 0) => new()
    {
        EventId = $"{maHoSo}/{n}", ClientEventId = $"c{n}", Client = "demo", MaHoSo = maHoSo, MaTthc = "1.001234.000.00.00.H56",
        TrangThaiHoSo = 2, NgayTiepNhan = new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.FromHours(7)), DonViXuLy = "000.00.01.H56", KenhThucHien = 1, LoaiDoiTuong = 1, HinhThuc = hinhThuc,
        AcceptedAt = new DateTimeOffset(2026, 11, 20, 8, 31, n, TimeSpan.FromHours(7)),
    };

    [Fact]
    public async Task Delivering_an_event_that_had_failed_transiently_signals_that_the_destination_is_back()
    {
        var delivery = Delivery();
        var quiet = delivery.Recovered;
        await delivery.HandleEventAsync(Event("D0", 1), Ct);
        quiet.IsCancellationRequested.ShouldBeFalse("a delivery that never failed says nothing about recovery");

        _destination.Down = true;
        (await delivery.HandleEventAsync(Event("D1", 1), Ct)).ShouldNotBeNull();
        (await delivery.HandleEventAsync(Event("D2", 1), Ct)).ShouldNotBeNull();
        var waiting = delivery.Recovered; // what D2's backoff waits on
        waiting.IsCancellationRequested.ShouldBeFalse();

        _destination.Down = false;
        (await delivery.HandleEventAsync(Event("D1", 1), Ct)).ShouldBeNull();

        waiting.IsCancellationRequested.ShouldBeTrue("D2 need not wait out its backoff: the destination took D1's retry");
        delivery.Recovered.IsCancellationRequested.ShouldBeFalse("the next backoff waits on a fresh signal");
    }

    [Fact]
    public async Task The_adapter_is_told_when_the_destination_took_an_earlier_event_of_the_dossier()
    {
        var delivery = Delivery();

        await delivery.HandleEventAsync(Event("D1", 1), Ct);
        await delivery.HandleEventAsync(Event("D1", 2), Ct);
        await delivery.HandleEventAsync(Event("D2", 1), Ct);

        _destination.Calls.Select(c => (c.Key, c.DeliveredBefore)).ShouldBe([("D1/1:emc", false), ("D1/2:emc", true), ("D2/1:emc", false)]);
    }

    [Fact]
    public async Task A_wanted_event_is_delivered_once_with_its_checkpoint_and_evidence_and_a_repeat_is_skipped()
    {
        var delivery = Delivery();
        var e = Event("D1", 1);

        (await delivery.HandleEventAsync(e, Ct)).ShouldBeNull();
        (await delivery.HandleEventAsync(e, Ct)).ShouldBeNull();

        _destination.Calls.Select(c => c.Key).ShouldBe(["D1/1:emc"]);
        var state = States.Get("emc", "D1").ShouldNotBeNull();
        state.Delivered.ShouldBe(["D1/1"]);
        state.Version.ShouldBe(1);
        _evidence.Records.Single().Outcome.ShouldBe("ok");
    }

    [Fact]
    public async Task An_event_the_destination_does_not_want_is_neither_delivered_nor_recorded()
    {
        _destination.WantsOnlyByPost = true;
        (await Delivery().HandleEventAsync(Event("D1", 1, hinhThuc: 0), Ct)).ShouldBeNull();
        _destination.Calls.ShouldBeEmpty();
        States.Get("emc", "D1").ShouldBeNull();
    }

    [Fact]
    public async Task A_transient_failure_retries_with_exponential_backoff_and_jitter_capped_and_shows_retrying()
    {
        var delivery = Delivery();
        var e = Event("D1", 1);
        _destination.Down = true;

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            waits.Add((await delivery.HandleEventAsync(e, Ct)).ShouldNotBeNull());
            _time.Advance(waits[^1]);
        }

        for (var i = 0; i < waits.Count; i++)
        {
            var full = Math.Min(100 * Math.Pow(2, i), 2000);
            waits[i].TotalMilliseconds.ShouldBeInRange(full * 0.5, full, $"attempt {i + 1}");
        }

        waits.Distinct().Count().ShouldBeGreaterThan(1, "jitter varies the waits");
        var state = States.Get("emc", "D1").ShouldNotBeNull();
        state.Retrying.ShouldBe("D1/1");
        state.IsParked.ShouldBeFalse("a destination that is down never parks a dossier by itself");
        _table.Writes.ShouldBe(1, "the RETRYING state is written once, not at every attempt");

        _destination.Down = false;
        (await delivery.HandleEventAsync(e, Ct)).ShouldBeNull();
        States.Get("emc", "D1")!.Retrying.ShouldBeNull();
        _destination.Calls.Last().Attempt.ShouldBe(9);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_backoff()
    {
        Delivery(seed: 42).Backoff(3).ShouldBe(Delivery(seed: 42).Backoff(3));
        Delivery(seed: 42).Backoff(30).TotalMilliseconds.ShouldBeLessThanOrEqualTo(2000);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_refused_event_is_retried_then_parks_its_dossier_after_the_configured_refusals()
    {
        var delivery = Delivery();
        _destination.Refuse("D1");
        var e = Event("D1", 1);

        (await delivery.HandleEventAsync(e, Ct)).ShouldNotBeNull();
        (await delivery.HandleEventAsync(e, Ct)).ShouldNotBeNull();
        (await delivery.HandleEventAsync(e, Ct)).ShouldBeNull();

        var state = States.Get("emc", "D1").ShouldNotBeNull();
        state.Parked.Select(p => p.EventId).ShouldBe(["D1/1"]);
        state.LastError.ShouldNotBeNull().ShouldContain("refuses");
        state.ParkedAt.ShouldBe(_time.GetUtcNow());
        States.Parked("emc").Select(s => s.MaHoSo).ShouldBe(["D1"]);
        _evidence.Records.Count(r => r.Outcome == "upstream_rejected").ShouldBe(3);
    }

    [Fact]
    public async Task A_destination_down_longer_than_ParkAfterTransientFor_parks_the_dossier()
    {
        var delivery = Delivery();
        _destination.Down = true;
        var e = Event("D1", 1);
        (await delivery.HandleEventAsync(e, Ct)).ShouldNotBeNull();
        _time.Advance(TimeSpan.FromMinutes(4));
        (await delivery.HandleEventAsync(e, Ct)).ShouldNotBeNull();
        States.Get("emc", "D1")!.IsParked.ShouldBeFalse();

        _time.Advance(TimeSpan.FromMinutes(2));
        (await delivery.HandleEventAsync(e, Ct)).ShouldBeNull();
        States.Get("emc", "D1")!.IsParked.ShouldBeTrue();
    }

    [Fact]
    public async Task A_parked_dossiers_later_events_never_overtake_it_while_other_dossiers_flow()
    {
        var delivery = Delivery();
        _options.RefusalsBeforePark = 1;
        _destination.Refuse("D1");
        await delivery.HandleEventAsync(Event("D1", 1), Ct);

        _destination.Accept("D1"); // even when the destination would now take them, they wait for the replay
        (await delivery.HandleEventAsync(Event("D1", 2), Ct)).ShouldBeNull();
        (await delivery.HandleEventAsync(Event("D2", 1), Ct)).ShouldBeNull();
        (await delivery.HandleEventAsync(Event("D1", 3), Ct)).ShouldBeNull();

        _destination.Calls.Where(c => c.Event.MaHoSo == "D1").Select(c => c.Event.EventId).ShouldBe(["D1/1"]);
        _destination.Calls.Where(c => c.Event.MaHoSo == "D2").Select(c => c.Event.EventId).ShouldBe(["D2/1"]);
        States.Get("emc", "D1")!.Parked.Select(p => p.EventId).ShouldBe(["D1/1", "D1/2", "D1/3"]);
        _evidence.Records.Count(r => r.Outcome == "queued_behind_parked").ShouldBe(2);
    }

    [Fact]
    public async Task Replay_delivers_the_parked_queue_in_order_and_the_dossier_flows_again()
    {
        var delivery = Delivery();
        _options.RefusalsBeforePark = 1;
        _destination.Refuse("D1");
        foreach (var n in new[] { 1, 2, 3 })
        {
            await delivery.HandleEventAsync(Event("D1", n), Ct);
        }

        _destination.Accept("D1");
        _destination.Calls.Clear();
        var replay = new ReplayRequest("r1", "emc", "D1", "operator", _time.GetUtcNow());
        (await delivery.HandleReplayAsync(replay, Ct)).ShouldBeNull();

        _destination.Calls.Select(c => c.Event.EventId).ShouldBe(["D1/1", "D1/2", "D1/3"]);
        var state = States.Get("emc", "D1")!;
        state.IsParked.ShouldBeFalse();
        state.Delivered.ShouldBe(["D1/1", "D1/2", "D1/3"]);
        States.Parked(null).ShouldBeEmpty();
        _evidence.Records.Last().Operation.ShouldBe("Replay/emc");
        _evidence.Records.Last().Outcome.ShouldBe("ok");

        (await delivery.HandleEventAsync(Event("D1", 4), Ct)).ShouldBeNull();
        _destination.Calls.Last().Event.EventId.ShouldBe("D1/4");
    }

    [Fact]
    public async Task Replay_refused_again_stops_at_that_event_and_keeps_the_rest_parked_in_order()
    {
        var delivery = Delivery();
        _options.RefusalsBeforePark = 1;
        _destination.Refuse("D1");
        await delivery.HandleEventAsync(Event("D1", 1), Ct);
        await delivery.HandleEventAsync(Event("D1", 2), Ct);

        (await delivery.HandleReplayAsync(new ReplayRequest("r1", "emc", "D1", "operator", _time.GetUtcNow()), Ct)).ShouldBeNull();

        States.Get("emc", "D1")!.Parked.Select(p => p.EventId).ShouldBe(["D1/1", "D1/2"]);
        _evidence.Records.Last().Outcome.ShouldBe("refused_again");
    }

    [Fact]
    public async Task Replay_while_the_destination_is_down_waits_and_is_handed_over_again()
    {
        var delivery = Delivery();
        _options.RefusalsBeforePark = 1;
        _destination.Refuse("D1");
        await delivery.HandleEventAsync(Event("D1", 1), Ct);
        _destination.Accept("D1");
        _destination.Down = true;

        var replay = new ReplayRequest("r1", "emc", "D1", "operator", _time.GetUtcNow());
        (await delivery.HandleReplayAsync(replay, Ct)).ShouldNotBeNull();
        States.Get("emc", "D1")!.IsParked.ShouldBeTrue();

        _destination.Down = false;
        (await delivery.HandleReplayAsync(replay, Ct)).ShouldBeNull();
        States.Get("emc", "D1")!.IsParked.ShouldBeFalse();
    }

    /// <summary>
    /// Issue 9's race, in the rules: a delivery writes a newer state, then an older state of the same dossier arrives
    /// late (read back from the log). The next event must start from the newer state: no repeat of the delivered
    /// event, and the delivered marks are kept.
    /// </summary>
    [Fact]
    public async Task A_state_read_back_after_a_newer_write_never_wins()
    {
        var delivery = Delivery();
        await delivery.HandleEventAsync(Event("D1", 1), Ct);
        var older = _table.Log.Single(e => e.Key == "s|emc|D1");
        await delivery.HandleEventAsync(Event("D1", 2), Ct);

        _table.ArriveFromLog(older); // the read-back of version 1 after version 2 was applied
        await delivery.HandleEventAsync(Event("D1", 2), Ct); // a redelivery after a restart, say
        await delivery.HandleEventAsync(Event("D1", 3), Ct);

        _destination.Calls.Select(c => c.Event.EventId).ShouldBe(["D1/1", "D1/2", "D1/3"], "nothing delivered twice");
        var state = States.Get("emc", "D1")!;
        state.Delivered.ShouldBe(["D1/1", "D1/2", "D1/3"]);
        state.Version.ShouldBe(3);
    }

    [Fact]
    public async Task A_parked_queue_is_not_dropped_by_a_late_older_state()
    {
        var delivery = Delivery();
        _options.RefusalsBeforePark = 1;
        _destination.Refuse("D1");
        await delivery.HandleEventAsync(Event("D1", 1), Ct);
        var parkedOnce = _table.Log.Last(e => e.Key == "s|emc|D1");
        await delivery.HandleEventAsync(Event("D1", 2), Ct);

        _table.ArriveFromLog(parkedOnce);
        await delivery.HandleEventAsync(Event("D1", 3), Ct);

        States.Get("emc", "D1")!.Parked.Select(p => p.EventId).ShouldBe(["D1/1", "D1/2", "D1/3"]);
    }

    private sealed class FakeDestination(string destination) : IDeliveryAdapter
    {
        private readonly HashSet<string> _refused = [];

        public string Destination => destination;

        public bool Down { get; set; }

        public bool WantsOnlyByPost { get; set; }

        public List<(DossierEvent Event, string Key, int Attempt, bool DeliveredBefore)> Calls { get; } = [];

        public void Refuse(string maHoSo) => _refused.Add(maHoSo);

        public void Accept(string maHoSo) => _refused.Remove(maHoSo);

        public bool Wants(DossierEvent dossierEvent) => !WantsOnlyByPost || dossierEvent.HinhThuc == 1;

        public Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken)
        {
            Calls.Add((dossierEvent, call.IdempotencyKey, call.Attempt, call.DeliveredBefore));
            if (Down)
            {
                throw new UpstreamException(destination, UpstreamFailure.Unavailable, $"{destination} is down");
            }

            if (_refused.Contains(dossierEvent.MaHoSo))
            {
                throw new UpstreamException(destination, UpstreamFailure.Rejected, $"{destination} refuses this dossier");
            }

            return Task.FromResult(new DeliveryReceipt("tracked", "emc.request@1"));
        }
    }

    private sealed class EvidenceLog : IEvidenceRecorder
    {
        public List<ExchangeRecord> Records { get; } = [];

        public ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
        {
            lock (Records)
            {
                Records.Add(record);
            }

            return ValueTask.CompletedTask;
        }
    }
}
