using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>Runs one <see cref="DeliveryWorker"/> per registered destination adapter, each on a dedicated thread.</summary>
internal sealed class DeliveryWorkers(
    IEnumerable<IDeliveryAdapter> adapters,
    KafkaCluster cluster,
    KafkaTopics topics,
    IOptions<KafkaOptions> kafka,
    IOptions<DeliveryOptions> delivery,
    DossierProjection projection,
    KafkaDossierEventLog log,
    IEvidenceRecorder evidence,
    TimeProvider time,
    ConsumerAssignments assignments,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var snapshot = new KafkaOptionsSnapshot(kafka.Value, delivery.Value);
        var runs = adapters.Select(adapter =>
        {
            var worker = new DeliveryWorker(adapter, cluster, topics, snapshot, projection, log, evidence, time, assignments,
                loggers.CreateLogger($"OneStop.Hub.Kafka.Delivery.{adapter.Destination}"));
            return Task.Factory.StartNew(() => worker.Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }).ToList();
        return Task.WhenAll(runs);
    }
}
