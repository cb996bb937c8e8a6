using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>Hands dossier log records to a destination's delivery rules (in the core).</summary>
internal sealed class DeliveryHandler(DestinationDelivery delivery, IDeliveryStateStore states) : IDossierLogHandler
{
    public string Name => delivery.Destination;

    public Task CatchUpAsync(CancellationToken cancellationToken) => states.CatchUpAsync(cancellationToken);

    public CancellationToken RetryNow => delivery.Recovered;

    public Task<TimeSpan?> HandleAsync(DossierLogRecord record, long offset, CancellationToken cancellationToken) =>
        record.Event is { } e ? delivery.HandleEventAsync(e, cancellationToken)
        : record.Replay is { } replay ? delivery.HandleReplayAsync(replay, cancellationToken)
        : Task.FromResult<TimeSpan?>(null);
}

/// <summary>Keeps the compacted dossier index (the trail's list of events per dossier), in log order, as its own consumer group.</summary>
internal sealed class IndexHandler(DossierIndex index, IReadOnlyList<IDeliveryAdapter> adapters) : IDossierLogHandler
{
    public string Name => "index";

    public Task CatchUpAsync(CancellationToken cancellationToken) => index.CatchUpAsync(cancellationToken);

    public CancellationToken RetryNow => CancellationToken.None;

    public async Task<TimeSpan?> HandleAsync(DossierLogRecord record, long offset, CancellationToken cancellationToken)
    {
        if (record.Event is { } e)
        {
            await index.AddToDossierAsync(e.MaHoSo, KafkaDossierEventLog.Indexed(e, offset, adapters), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}

/// <summary>Runs one <see cref="DossierLogConsumer"/> per destination adapter, and one for the dossier index, each on a dedicated thread.</summary>
internal sealed class DeliveryWorkers(
    IEnumerable<IDeliveryAdapter> adapters,
    KafkaCluster cluster,
    KafkaTopics topics,
    IOptions<KafkaOptions> kafka,
    IOptions<DeliveryOptions> delivery,
    IDeliveryStateStore states,
    DossierIndex index,
    IEvidenceRecorder evidence,
    DeliveryHealth health,
    DeliveryMetrics metrics,
    TimeProvider time,
    ConsumerAssignments assignments,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var all = adapters.ToList();
        var options = delivery.Value;
        foreach (var a in all)
        {
            metrics.Start(a.Destination);
        }

        var handlers = all.Select(a => (IDossierLogHandler)new DeliveryHandler(
                new DestinationDelivery(a, states, evidence, options, time, new Random(), loggers.CreateLogger($"OneStop.Hub.Delivery.{a.Destination}"), metrics), states))
            .Append(new IndexHandler(index, all));
        var runs = handlers.Select(handler =>
        {
            var consumer = new DossierLogConsumer(handler, cluster, topics, kafka.Value, options.MaxConcurrency, evidence, health, metrics, time, assignments,
                loggers.CreateLogger($"OneStop.Hub.Kafka.Delivery.{handler.Name}"));
            return Task.Factory.StartNew(() => consumer.Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }).ToList();
        runs.Add(ReportParkedAsync(all, stoppingToken));
        return Task.WhenAll(runs);
    }

    private async Task ReportParkedAsync(List<IDeliveryAdapter> all, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        do
        {
            foreach (var a in all)
            {
                metrics.SetParkedDossiers(a.Destination, states.Parked(a.Destination).LongCount());
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>Readiness: unhealthy while a destination has stopped for a reason an operator must decide on (records lost from the log).</summary>
internal sealed class DeliveryHealthCheck(DeliveryHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.Problems is { Count: > 0 } problems ? HealthCheckResult.Unhealthy(string.Join("; ", problems)) : HealthCheckResult.Healthy());
}
