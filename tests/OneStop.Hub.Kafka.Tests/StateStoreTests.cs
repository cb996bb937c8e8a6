using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneStop.Hub.Kafka.Evidence;
using OneStop.Hub.Kafka.State;
using OneStop.Hub.State;
using Shouldly;

namespace OneStop.Hub.Kafka.Tests;

public sealed class StateStoreTests(MockCluster kafka) : IClassFixture<MockCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..12];

    private KafkaStateStore Open(string path, string? prefix = null)
    {
        var kafkaOptions = Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers, TopicPrefix = prefix ?? _prefix });
        return new KafkaStateStore(kafka.Cluster, new KafkaTopics(kafkaOptions, Options.Create(new EvidenceOptions())), [new StateTableRegistration("things", _ => $"{prefix ?? _prefix}.things")],
            Options.Create(new StateOptions { Path = path }), kafkaOptions, Options.Create(new EvidenceOptions()), NullLogger<KafkaStateStore>.Instance);
    }

    private static async Task<KafkaStateStore> StartAsync(KafkaStateStore store)
    {
        await store.StartAsync(Ct);
        return store;
    }

    private static StateEntry Entry(string key, long version, string? value) => new(key, version, value is null ? null : Encoding.UTF8.GetBytes(value));

    private static string? Text(StateEntry? e) => e?.Value is { } v ? Encoding.UTF8.GetString(v) : null;

    [Fact]
    public async Task A_write_is_read_back_at_once_and_an_older_version_written_later_is_ignored()
    {
        using var dir = new TempDir();
        using var store = await StartAsync(Open(dir.Path));
        var table = store.Table("things");

        await table.WriteAsync([Entry("a", 2, "two")], Ct);
        Text(table.Get("a")).ShouldBe("two");
        await table.WriteAsync([Entry("a", 1, "one")], Ct);
        await table.CatchUpAsync(Ct);

        Text(table.Get("a")).ShouldBe("two");
        table.Get("a")!.Version.ShouldBe(2);
        await store.StopAsync(Ct);
    }

    /// <summary>
    /// The defect of issue 9: an instance applied its own newer write, then read an older record of the same key
    /// back from the log and applied it over the newer one, so the state went back in time. Here the newer state
    /// is written, and an older record is put on the log behind it (as a slower writer or the read-back of an
    /// earlier write would): the table must keep the newer state, on this instance and on a fresh one.
    /// </summary>
    [Fact]
    public async Task An_older_record_read_back_from_the_log_after_a_newer_write_never_wins()
    {
        using var dir = new TempDir();
        using var other = new TempDir();
        using var store = await StartAsync(Open(dir.Path));
        var table = store.Table("things");
        await table.WriteAsync([Entry("dossier-1", 5, "delivered e1..e5")], Ct);

        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var (version, text) in new[] { (3L, "delivered e1..e3"), (4L, "delivered e1..e4") })
            {
                var header = new byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(header, version);
                await producer.ProduceAsync($"{_prefix}.things", new Message<string, byte[]>
                {
                    Key = "dossier-1", Value = Encoding.UTF8.GetBytes(text), Headers = [new Header(KafkaStateTable.VersionHeader, header)],
                }, Ct);
            }
        }

        await table.CatchUpAsync(Ct);
        Text(table.Get("dossier-1")).ShouldBe("delivered e1..e5");

        using var fresh = await StartAsync(Open(other.Path));
        Text(fresh.Table("things").Get("dossier-1")).ShouldBe("delivered e1..e5", "an instance rebuilding from the log keeps the newest version too");
        await fresh.StopAsync(Ct);
        await store.StopAsync(Ct);
    }

    [Fact]
    public async Task Concurrent_writers_of_increasing_versions_end_at_the_highest_on_every_instance()
    {
        using var dir = new TempDir();
        using var other = new TempDir();
        using var store = await StartAsync(Open(dir.Path));
        using var reader = await StartAsync(Open(other.Path));
        var table = store.Table("things");

        // Versions 1..200 of 20 keys written from many tasks at once, in shuffled order.
        var writes = Enumerable.Range(1, 200).SelectMany(v => Enumerable.Range(0, 20).Select(k => Entry($"k{k}", v, $"v{v}"))).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(writes.Chunk(50).Select(chunk => table.WriteAsync(chunk, Ct)));
        await table.CatchUpAsync(Ct);
        await reader.Table("things").CatchUpAsync(Ct);

        foreach (var k in Enumerable.Range(0, 20))
        {
            Text(table.Get($"k{k}")).ShouldBe("v200");
            Text(reader.Table("things").Get($"k{k}")).ShouldBe("v200");
        }

        await reader.StopAsync(Ct);
        await store.StopAsync(Ct);
    }

    [Fact]
    public async Task A_deletion_hides_the_key_and_an_older_write_does_not_bring_it_back()
    {
        using var dir = new TempDir();
        using var store = await StartAsync(Open(dir.Path));
        var table = store.Table("things");
        await table.WriteAsync([Entry("gone", 1, "x"), Entry("kept", 1, "y")], Ct);
        await table.WriteAsync([Entry("gone", 2, null)], Ct);
        await table.WriteAsync([Entry("gone", 1, "x")], Ct);
        await table.CatchUpAsync(Ct);

        table.Get("gone").ShouldBeNull();
        table.Scan("").Select(e => e.Key).ShouldBe(["kept"]);
        await store.StopAsync(Ct);
    }

    [Fact]
    public async Task Scan_returns_live_keys_under_a_prefix_in_key_order()
    {
        using var dir = new TempDir();
        using var store = await StartAsync(Open(dir.Path));
        var table = store.Table("things");
        await table.WriteAsync([Entry("emc|b", 1, "1"), Entry("emc|a", 1, "2"), Entry("portal|a", 1, "3"), Entry("emd", 1, "4")], Ct);

        table.Scan("emc|").Select(e => e.Key).ShouldBe(["emc|a", "emc|b"]);
        await store.StopAsync(Ct);
    }

    [Fact]
    public async Task A_restarted_store_resumes_from_its_checkpoint_with_what_was_written_while_it_was_down()
    {
        using var dir = new TempDir();
        using var writerDir = new TempDir();
        using (var first = await StartAsync(Open(dir.Path)))
        {
            await first.Table("things").WriteAsync([.. Enumerable.Range(0, 100).Select(i => Entry($"k{i}", 1, "first"))], Ct);
            await first.Table("things").CatchUpAsync(Ct);
            await first.StopAsync(Ct);
        }

        using (var writer = await StartAsync(Open(writerDir.Path)))
        {
            await writer.Table("things").WriteAsync([Entry("k1", 2, "while down"), Entry("new", 1, "while down")], Ct);
            await writer.StopAsync(Ct);
        }

        using var again = Open(dir.Path);
        var table = again.Table("things");
        Text(table.Get("k0")).ShouldBe("first", "the local store keeps its data across a restart");
        await again.StartAsync(Ct); // completes once the log is read up to its end: only the records after the checkpoint
        Text(table.Get("k1")).ShouldBe("while down");
        Text(table.Get("new")).ShouldBe("while down");
        table.Scan("k").Count().ShouldBe(100);
        await again.StopAsync(Ct);
    }

    [Fact]
    public async Task A_store_built_from_another_log_is_rebuilt_instead_of_trusted()
    {
        using var dir = new TempDir();
        using (var first = await StartAsync(Open(dir.Path)))
        {
            await first.Table("things").WriteAsync([Entry("old", 1, "from the first log")], Ct);
            await first.StopAsync(Ct);
        }

        // Same folder, another topic (as after pointing the hub at a new cluster): nothing of the old log survives.
        using var again = await StartAsync(Open(dir.Path, prefix: $"{_prefix}x"));
        again.Table("things").Get("old").ShouldBeNull();
        await again.StopAsync(Ct);
    }

    /// <summary>
    /// Closing the native store under a running read is use after free: the process crashes. A store disposed while a
    /// scan is under way (a trail query, or a table reader that outlived the stop) waits for it, and a call after the
    /// close fails with ObjectDisposedException instead.
    /// </summary>
    [Fact]
    public async Task A_store_closes_only_after_the_scan_under_way_and_refuses_calls_after_it()
    {
        using var dir = new TempDir();
        var store = await StartAsync(Open(dir.Path));
        var table = store.Table("things");
        await table.WriteAsync([Entry("emc|a", 1, "1"), Entry("emc|b", 1, "2")], Ct);

        using var scan = table.Scan("emc|").GetEnumerator();
        scan.MoveNext().ShouldBeTrue();
        var closing = Task.Run(store.Dispose, Ct);
        await Task.Delay(300, Ct);
        closing.IsCompleted.ShouldBeFalse("the store must not close under a scan that is under way");

        scan.MoveNext().ShouldBeTrue();
        scan.Current.Key.ShouldBe("emc|b");
        scan.MoveNext().ShouldBeFalse();
        await closing.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        var ex = Should.Throw<ObjectDisposedException>(() => table.Get("emc|a"));
        ex.Message.ShouldContain(dir.Path);
    }

    [Fact]
    public void Two_stores_on_one_folder_are_refused_naming_the_setting()
    {
        using var dir = new TempDir();
        using var first = Open(dir.Path);
        var ex = Should.Throw<InvalidOperationException>(() => Open(dir.Path));
        ex.Message.ShouldContain("State:Path");
    }
}
