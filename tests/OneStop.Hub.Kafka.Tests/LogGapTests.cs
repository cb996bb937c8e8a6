using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Hub.Evidence;
using OneStop.Hub.Kafka.Internal;
using Shouldly;

namespace OneStop.Hub.Kafka.Tests;

/// <summary>
/// Issue 9: with 100,000 events accepted faster than delivered and a restart, the delivery consumers logged only a
/// librdkafka warning ("offset reset … to BEGINNING") and ~60% of acknowledged events never reached a destination.
/// The mock cluster drops a partition's oldest records beyond 5 MB, as a real cluster does past retention.
/// </summary>
public sealed class LogGapTests(MockCluster kafka) : IClassFixture<MockCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_committed_position_below_the_log_start_stops_the_partition_and_is_reported_never_skipped()
    {
        var prefix = $"g{Guid.NewGuid():N}"[..12];
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, TopicPrefix = prefix, SessionTimeoutMs = 6000 };
        var topics = new KafkaTopics(Options.Create(options), Options.Create(new OneStop.Hub.Kafka.Evidence.EvidenceOptions()));
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, Acks = Acks.All }).Build();
        var small = Encoding.UTF8.GetBytes("""{"kind":"noop"}""");

        // 1. Ten records delivered and committed; the consumer stops.
        for (var i = 0; i < 10; i++)
        {
            await producer.ProduceAsync(topics.DossierEvents, new Message<string, byte[]> { Key = "D1", Value = small }, Ct);
        }

        var handler = new CountingHandler();
        var health = new DeliveryHealth();
        var evidence = new EvidenceList();
        var logs = new LogList();
        await RunUntilAsync(Consumer(handler, topics, options, health, evidence, logs), () => handler.Count == 10, logs);
        var partition = (await producer.ProduceAsync(topics.DossierEvents, new Message<string, byte[]> { Key = "D1", Value = small }, Ct)).TopicPartition;

        // 2. While it is down, more than 5 MB arrive on that partition: the log start moves past the committed position.
        var big = Encoding.UTF8.GetBytes("""{"kind":"noop","pad":""" + "\"" + new string('x', 200_000) + "\"}");
        for (var i = 0; i < 40; i++)
        {
            await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = "D1", Value = big }, Ct);
        }

        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = topics.DeliveryGroup("test") }).Build())
        {
            probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).Low.Value.ShouldBeGreaterThan(11, "the mock cluster dropped the oldest records");
            probe.Committed([partition], TimeSpan.FromSeconds(10)).Single().Offset.Value.ShouldBe(10);
        }

        // 3. Restart: the gap is detected and reported, and nothing after it is handed over.
        var after = new CountingHandler();
        IReadOnlyList<string> problems = [];
        await RunUntilAsync(Consumer(after, topics, options, health, evidence, logs), () => (problems = health.Problems).Count > 0, logs);

        problems.ShouldHaveSingleItem().ShouldContain($"{topics.DossierEvents}/{partition.Partition.Value} offsets 10..");
        var record = evidence.Records.ShouldHaveSingleItem();
        record.Operation.ShouldBe("LogGap/test");
        record.Outcome.ShouldBe("records_lost");
        record.RequestId.ShouldStartWith($"{topics.DossierEvents}/{partition.Partition.Value} offsets 10..");
        logs.Errors.ShouldContain(l => l.Contains("were removed from the log before they were delivered", StringComparison.Ordinal));
        after.Count.ShouldBe(0, "no record past the gap is delivered without an operator's decision");
        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = topics.DeliveryGroup("test") }).Build())
        {
            probe.Committed([partition], TimeSpan.FromSeconds(10)).Single().Offset.Value.ShouldBe(10, "the committed position did not move past the lost records");
        }
    }

    private DossierLogConsumer Consumer(CountingHandler handler, KafkaTopics topics, KafkaOptions options, DeliveryHealth health, EvidenceList evidence, LogList logs) =>
        new(handler, kafka.Cluster, topics, options, 4, evidence, health, null, TimeProvider.System, null, logs);

    private static async Task RunUntilAsync(DossierLogConsumer consumer, Func<bool> done, LogList logs)
    {
        using var stop = new CancellationTokenSource();
        var run = Task.Factory.StartNew(() => consumer.Run(stop.Token), Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        bool reached;
        while (!(reached = done()) && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(50, Ct);
        }

        var early = run.IsCompleted;
        await stop.CancelAsync();
        await run;
        reached.ShouldBeTrue($"the consumer reached the expected state within a minute (ended early: {early}); log:\n{string.Join('\n', logs.All)}");
    }

    private sealed class CountingHandler : IDossierLogHandler
    {
        private int _count;

        public string Name => "test";

        public int Count => Volatile.Read(ref _count);

        public Task CatchUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public CancellationToken RetryNow => CancellationToken.None;

        public Task<TimeSpan?> HandleAsync(DossierLogRecord record, long offset, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult<TimeSpan?>(null);
        }
    }

    private sealed class EvidenceList : IEvidenceRecorder
    {
        public ConcurrentQueue<ExchangeRecord> Records { get; } = new();

        public ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
        {
            Records.Enqueue(record);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LogList : ILogger
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ConcurrentQueue<string> All { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            All.Enqueue($"{logLevel}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            if (logLevel >= LogLevel.Error)
            {
                Errors.Enqueue(formatter(state, exception));
            }
        }
    }
}
