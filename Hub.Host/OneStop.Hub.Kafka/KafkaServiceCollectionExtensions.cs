using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OneStop.Hub.Diagnostics;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Hub.Kafka.State;
using OneStop.Hub.State;
using OneStop.Hub.Kafka.Internal;

namespace OneStop.Hub.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Kafka: the cluster (the embedded mock cluster only with <c>Demo:Enabled</c> and no <c>Kafka:BootstrapServers</c>), the dossier log, the state tables
    /// (delivery states and the dossier index, materialised into the local store), one delivery consumer per
    /// registered destination adapter plus the indexer, the admin view, and the hash-chained evidence recorder.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaRouting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration("Kafka")
            .PostConfigure<IConfiguration>((o, configuration) => o.Client = KafkaOptionsValidator.Flatten(configuration.GetSection("Kafka:Client")))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.AddSingleton<IStartupCheck, KafkaTopicCheck>();
        services.AddOptions<DeliveryOptions>().BindConfiguration("Delivery").ValidateDataAnnotations()
            .Validate(o => o.MaxBackoff >= o.InitialBackoff, "Delivery: MaxBackoff must be at least InitialBackoff").ValidateOnStart();
        services.TryAddSingleton<KafkaCluster>();
        services.TryAddSingleton<KafkaTopics>();
        services.AddKafkaStateTable(StateTableDeliveryStore.TableName, topics => topics.DeliveryState);
        services.AddKafkaStateTable(DossierIndex.TableName, topics => topics.DossierIndex);
        services.TryAddSingleton<IDeliveryStateStore>(sp => new StateTableDeliveryStore(sp.GetRequiredService<IStateStore>().Table(StateTableDeliveryStore.TableName)));
        services.TryAddSingleton(sp => new DossierIndex(sp.GetRequiredService<IStateStore>().Table(DossierIndex.TableName)));
        services.TryAddSingleton<DeliveryMetrics>();
        services.TryAddSingleton<DeliveryHealth>();
        services.TryAddSingleton<KafkaDossierEventLog>();
        services.TryAddSingleton<IDossierEventLog>(sp => sp.GetRequiredService<KafkaDossierEventLog>());
        services.TryAddSingleton<IDossierAdmin, DossierAdmin>();
        services.AddHostedService<KafkaStartup>();
        services.AddHostedService<DeliveryWorkers>();
        services.AddOptions<Evidence.EvidenceOptions>().BindConfiguration("Evidence").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Evidence.KafkaEvidenceRecorder>();
        // The durable, hash-chained recorder replaces the core's log-only default.
        services.RemoveAll<OneStop.Hub.Evidence.IEvidenceRecorder>();
        services.AddSingleton<OneStop.Hub.Evidence.IEvidenceRecorder>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        services.TryAddSingleton<OneStop.Hub.Evidence.IEvidenceStore>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        services.TryAddSingleton<OneStop.Hub.Evidence.IEvidenceAnchor>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        services.TryAddSingleton<EvidenceReadiness>();
        services.TryAddSingleton<ConsumerAssignments>();
        services.AddHealthChecks()
            .AddCheck<KafkaHealthCheck>("kafka", tags: [HubHealth.Ready])
            .AddCheck<EvidenceReadinessCheck>("evidence", tags: [HubHealth.Ready])
            .AddCheck<ConsumersReadinessCheck>("consumers", tags: [HubHealth.Ready])
            .AddCheck<DeliveryHealthCheck>("delivery", tags: [HubHealth.Ready]);
        return builder;
    }
}
