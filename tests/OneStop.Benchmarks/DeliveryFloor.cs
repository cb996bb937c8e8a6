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
/// </summary>
internal sealed class DeliveryFloor : IAsyncDisposable
{
    private const string Topic = "floor-events";

    private readonly TestKafkaCluster _kafka;
    private readonly GroupCommitProducer _producer;
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _consumer;

    private DeliveryFloor(TestKafkaCluster kafka, GroupCommitProducer producer, WebApplication app, Uri address, DirectSender sender, int concurrency)
    {
        _kafka = kafka;
        _producer = producer;
        _app = app;
        _channel = GrpcChannel.ForAddress(address);
        Client = new DossierService.DossierServiceClient(_channel);
        _consumer = new Thread(() => Consume(kafka.BootstrapServers, sender, concurrency, _stop.Token)) { IsBackground = true, Name = "floor-consumer" };
        _consumer.Start();
    }

    public DossierService.DossierServiceClient Client { get; }

    /// <summary>Deliveries that threw (a refusal or an error at a fake): none is expected.</summary>
    public int Failures => _failures;

    private int _failures;

    public static async Task<DeliveryFloor> StartAsync(DirectSender sender, int concurrency)
    {
        var kafka = new TestKafkaCluster();
        var producer = new GroupCommitProducer(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 1,
        }, "floor-writer");
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(producer);
        var app = builder.Build();
        app.MapGrpcService<PublishService>();
        await app.StartAsync();
        return new DeliveryFloor(kafka, producer, app, new Uri($"http://127.0.0.1:{port}"), sender, concurrency);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _consumer.Join(TimeSpan.FromSeconds(10));
        await _app.StopAsync();
        await _app.DisposeAsync();
        _channel.Dispose();
        _producer.Dispose();
        _kafka.Dispose();
        _stop.Dispose();
    }

    private void Consume(string bootstrap, DirectSender sender, int concurrency, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "floor",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 20, // as the hub on an embedded mock cluster (which holds empty fetches for the whole wait)
        }).Build();
        consumer.Subscribe(Topic);
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

                var e = OneStop.Grpc.V1.DossierEvent.Parser.ParseFrom(record.Message.Value);
                slots.Wait(stop);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await sender.SendAsync(DirectSender.Canonical(e), e.ClientEventId, withPortal: true, portalKnowsDossier: true);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
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

    private sealed class PublishService(GroupCommitProducer producer) : DossierService.DossierServiceBase
    {
        public override async Task<PublishEventReply> PublishEvent(OneStop.Grpc.V1.DossierEvent request, ServerCallContext context)
        {
            await producer.ProduceAsync(Topic, new Message<string, byte[]?> { Key = request.MaHoSo, Value = request.ToByteArray() }, context.CancellationToken);
            return new PublishEventReply { EventId = request.ClientEventId, ClientEventId = request.ClientEventId };
        }
    }
}
