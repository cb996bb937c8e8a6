using Confluent.Kafka;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneStop.Grpc.V1;
using OneStop.Hub.Kafka.Internal;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// The floor under the delivery benchmark's ratio: the least any hub that acknowledges an event only once Kafka holds
/// it (acks=all) and delivers it from the log costs on this machine, built from the same parts (Grpc.AspNetCore on
/// Kestrel, Confluent.Kafka, HttpClient, the same mappings). In this process: a gRPC <c>PublishEvent</c> that writes
/// the event to a topic of an in-process mock cluster (idempotent, through the hub's own group-commit writer, so
/// concurrent publishes share requests) and answers when it is acknowledged; one consumer that hands every record to the same sends as the
/// direct path (EMC and the portal, concurrently), up to a number at once. Left out, on purpose, so it costs less than
/// any correct hub: authentication, validation, duplicate detection, per-dossier order, retries and parking, delivery
/// state, evidence, offsets committed only after delivery, metrics, tracing and logs. It is not a hub: it only shows
/// how far the "durable before acknowledged" design lets a hub come to the direct path.
/// <para>
/// With <c>hubTraffic</c> it also moves the records the hub moves through Kafka for each event, and nothing else of
/// the hub: before the answer, after the event, the dossier index's two entries (duplicate key and ingest's entry) and
/// one evidence record (its own writer, one partition, as the evidence chain), together (the hub writes them one after
/// the other); one consumer group per destination
/// (EMC, the portal, and the postal operator's, which wants none of these events), each writing an evidence record
/// and a delivery-state record once its side effect is made; the indexer's group, which reads each event and writes
/// nothing (the hub's indexer writes only when ingest's entry is missing or differs, for most events it is not); and one
/// reader each tailing the index and the delivery state, as the state tables do. Record sizes are the hub's order of
/// magnitude; nothing is hashed, signed, versioned, stored in RocksDB or checked.
/// </para>
/// </summary>
internal sealed class DeliveryFloor : IAsyncDisposable
{
    private const string Topic = "floor-events";
    private const string IndexTopic = "floor-index";
    private const string StateTopic = "floor-state";
    private const string EvidenceTopic = "floor-evidence";

    private readonly TestKafkaCluster _kafka;
    private readonly GroupCommitProducer _producer;
    private readonly GroupCommitProducer? _evidence;
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _consumers = [];

    private DeliveryFloor(TestKafkaCluster kafka, GroupCommitProducer producer, GroupCommitProducer? evidence, WebApplication app, Uri address, DirectSender sender, int concurrency)
    {
        _kafka = kafka;
        _producer = producer;
        _evidence = evidence;
        _app = app;
        _channel = GrpcChannel.ForAddress(address);
        Client = new DossierService.DossierServiceClient(_channel);
        if (evidence is null)
        {
            Start("floor", Topic, concurrency, r =>
            {
                var e = Parse(r);
                return sender.SendAsync(DirectSender.Canonical(e), e.ClientEventId, withPortal: true, portalKnowsDossier: true);
            });
            return;
        }

        Start("emc", Topic, concurrency, async r =>
        {
            var e = Parse(r);
            await sender.ToEmcAsync(DirectSender.Canonical(e), e.ClientEventId);
            await Delivered("emc", r.Message.Key, _stop.Token);
        });
        Start("portal", Topic, concurrency, async r =>
        {
            var e = Parse(r);
            await sender.ToPortalAsync(DirectSender.Canonical(e), e.ClientEventId, portalKnowsDossier: true);
            await Delivered("portal", r.Message.Key, _stop.Token);
        });
        // The postal operator wants none of these events; the hub's indexer writes nothing when ingest's entry already
        // lists the event (most events): both groups only read, a floor takes the cheaper case.
        Func<ConsumeResult<string, byte[]>, Task> readOnly = r =>
        {
            Parse(r);
            return Task.CompletedTask;
        };
        Start("postal", Topic, concurrency, readOnly);
        Start("index", Topic, concurrency, readOnly);
        Start("index-table", IndexTopic, concurrency, handle: null);
        Start("state-table", StateTopic, concurrency, handle: null);
    }

    public DossierService.DossierServiceClient Client { get; }

    /// <summary>Deliveries that threw (a refusal or an error at a fake): none is expected.</summary>
    public int Failures => _failures;

    private int _failures;

    // Sizes of the hub's records, in bytes: an evidence record, a delivery state, an index entry.
    private const int EvidenceSize = 700;
    private const int StateSize = 400;
    private const int IndexSize = 300;

    public static async Task<DeliveryFloor> StartAsync(DirectSender sender, int concurrency, bool hubTraffic = false)
    {
        var kafka = new TestKafkaCluster();
        var producer = Writer(kafka, "floor-writer");
        var evidence = hubTraffic ? Writer(kafka, "floor-evidence") : null;
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new Writers(producer, evidence));
        var app = builder.Build();
        app.MapGrpcService<PublishService>();
        await app.StartAsync();
        return new DeliveryFloor(kafka, producer, evidence, app, new Uri($"http://127.0.0.1:{port}"), sender, concurrency);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var consumer in _consumers)
        {
            consumer.Join(TimeSpan.FromSeconds(10));
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _channel.Dispose();
        _producer.Dispose();
        _evidence?.Dispose();
        _kafka.Dispose();
        _stop.Dispose();
    }

    private static GroupCommitProducer Writer(TestKafkaCluster kafka, string name) => new(new ProducerConfig
    {
        BootstrapServers = kafka.BootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 1,
    }, name);

    private static OneStop.Grpc.V1.DossierEvent Parse(ConsumeResult<string, byte[]> record) => OneStop.Grpc.V1.DossierEvent.Parser.ParseFrom(record.Message.Value);

    private static Message<string, byte[]?> Record(string key, int size) => new() { Key = key, Value = new byte[size] };

    /// <summary>What the hub writes once a destination has the side effect: its evidence and the dossier's delivery state, together.</summary>
    private Task Delivered(string destination, string maHoSo, CancellationToken stop) => Task.WhenAll(
        _evidence!.ProduceAsync(new TopicPartition(EvidenceTopic, 0), Record("floor", EvidenceSize), stop),
        _producer.ProduceAsync(StateTopic, Record($"s|{destination}|{maHoSo}", StateSize), stop));

    private void Start(string group, string topic, int concurrency, Func<ConsumeResult<string, byte[]>, Task>? handle)
    {
        var thread = new Thread(() => Consume(group, topic, concurrency, handle, _stop.Token)) { IsBackground = true, Name = $"floor-{group}" };
        _consumers.Add(thread);
        thread.Start();
    }

    /// <summary>
    /// One consumer group on <paramref name="topic"/>: each record to <paramref name="handle"/>, up to
    /// <paramref name="concurrency"/> at once; with no handler it only reads, as a state table tails its topic.
    /// </summary>
    private void Consume(string group, string topic, int concurrency, Func<ConsumeResult<string, byte[]>, Task>? handle, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 20, // as the hub on an embedded mock cluster (which holds empty fetches for the whole wait)
        }).Build();
        consumer.Subscribe(topic);
        using var slots = new SemaphoreSlim(concurrency);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                ConsumeResult<string, byte[]> record;
                try
                {
                    record = consumer.Consume(stop);
                }
                catch (ConsumeException unknown) when (unknown.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    continue; // the first publish creates the topic
                }

                if (handle is null)
                {
                    continue;
                }

                slots.Wait(stop);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handle(record);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or KafkaException)
                    {
                        Interlocked.Increment(ref _failures);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        consumer.Close();
    }

    private sealed record Writers(GroupCommitProducer Log, GroupCommitProducer? Evidence);

    private sealed class PublishService(Writers writers) : DossierService.DossierServiceBase
    {
        public override async Task<PublishEventReply> PublishEvent(OneStop.Grpc.V1.DossierEvent request, ServerCallContext context)
        {
            var stop = context.CancellationToken;
            await writers.Log.ProduceAsync(Topic, new Message<string, byte[]?> { Key = request.MaHoSo, Value = request.ToByteArray() }, stop);
            if (writers.Evidence is { } evidence)
            {
                await Task.WhenAll(
                    writers.Log.ProduceAsync(IndexTopic, Record($"e|{request.ClientEventId}", IndexSize), stop),
                    writers.Log.ProduceAsync(IndexTopic, Record($"a|{request.MaHoSo}", IndexSize), stop),
                    evidence.ProduceAsync(new TopicPartition(EvidenceTopic, 0), Record("floor", EvidenceSize), stop));
            }

            return new PublishEventReply { EventId = request.ClientEventId, ClientEventId = request.ClientEventId };
        }
    }
}
