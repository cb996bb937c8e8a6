using System.Text.Json;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Hub.State;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class DossierIndexTests
{
    private const string MaHoSo = "H56.14-261128-0001";

    private static IndexedEvent Event(string id, long position) =>
        new(id, $"client-{id}", "demo-client", 2, DateTimeOffset.Parse("2026-11-28T08:30:00+07:00", System.Globalization.CultureInfo.InvariantCulture), [], position);

    [Fact]
    public async Task Adding_an_event_writes_only_that_event_and_the_trail_lists_all_in_log_order()
    {
        var table = new InMemoryStateTable();
        var index = new DossierIndex(table);
        for (var i = 0; i < 20; i++)
        {
            await index.AddAcceptedAsync(MaHoSo, Event($"e{i}", 100 + i), CancellationToken.None);
        }

        // The indexer reaches the events in log order, later than ingest, whose entries already list them: it adds
        // nothing, and nothing again when it handles the same record after a crash.
        await index.AddToDossierAsync(MaHoSo, Event("e3", 103), CancellationToken.None);
        var writes = table.Writes;
        await index.AddToDossierAsync(MaHoSo, Event("e3", 103), CancellationToken.None);
        table.Writes.ShouldBe(writes);

        // Each write holds one event, not the dossier's whole list: the 20th costs what the first did.
        var last = table.Log.Where(e => e.Key.StartsWith("a|", StringComparison.Ordinal)).ToList();
        last.Count.ShouldBe(20);
        last[^1].Value!.Length.ShouldBeLessThan(last[0].Value!.Length + 10);

        index.Events(MaHoSo)!.Select(e => e.EventId).ShouldBe(Enumerable.Range(0, 20).Select(i => $"e{i}"));
        index.ContainsEvent("e7").ShouldBeTrue();
        index.Events("H56.14-261128-0002").ShouldBeNull();
    }

    [Fact]
    public async Task The_indexer_writes_only_the_events_ingest_did_not_index_as_it_would()
    {
        var table = new InMemoryStateTable();
        var index = new DossierIndex(table);
        await index.AddAcceptedAsync(MaHoSo, Event("e1", 101), CancellationToken.None);
        var writes = table.Writes;

        // Ingest's entry already says what the indexer's would: no second record for the same event.
        (await index.AddToDossierAsync(MaHoSo, Event("e1", 101), CancellationToken.None)).ShouldBeFalse();
        table.Writes.ShouldBe(writes);

        // Ingest stopped between the log's acknowledgement and its index write: the indexer lists the event, once.
        (await index.AddToDossierAsync(MaHoSo, Event("e2", 102), CancellationToken.None)).ShouldBeTrue();
        (await index.AddToDossierAsync(MaHoSo, Event("e2", 102), CancellationToken.None)).ShouldBeFalse();

        // An instance configured with other destinations indexed e3 otherwise: the indexer's entry is written and wins.
        await index.AddAcceptedAsync(MaHoSo, Event("e3", 103) with { NotWantedBy = ["postal"] }, CancellationToken.None);
        (await index.AddToDossierAsync(MaHoSo, Event("e3", 103), CancellationToken.None)).ShouldBeTrue();

        table.Log.Count(e => e.Key.StartsWith("d|", StringComparison.Ordinal)).ShouldBe(2);
        var trail = index.Events(MaHoSo)!;
        trail.Select(e => e.EventId).ShouldBe(["e1", "e2", "e3"]);
        trail[2].NotWantedBy.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dossier_listed_by_an_earlier_version_keeps_its_events_beside_new_ones()
    {
        var table = new InMemoryStateTable();
        var written = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }; // as the earlier version wrote its lists
        byte[] List(params IndexedEvent[] events) => JsonSerializer.SerializeToUtf8Bytes(events.ToList(), written);
        await table.WriteAsync(
        [
            new StateEntry($"d|{MaHoSo}", 11, List(Event("old1", 10), Event("old2", 11))),
            new StateEntry($"a|{MaHoSo}", 12, List(Event("old1", 10), Event("old2", 11), Event("old3", 12))),
        ], CancellationToken.None);
        var index = new DossierIndex(table);

        await index.AddAcceptedAsync(MaHoSo, Event("new1", 20), CancellationToken.None);
        await index.AddToDossierAsync(MaHoSo, Event("old3", 12), CancellationToken.None);

        index.Events(MaHoSo)!.Select(e => e.EventId).ShouldBe(["old1", "old2", "old3", "new1"]);
    }
}
