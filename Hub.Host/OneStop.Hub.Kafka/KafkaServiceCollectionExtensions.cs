using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Kafka.Internal;

namespace OneStop.Hub.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Kafka: the cluster (embedded mock cluster when none is configured), the dossier log, the projection of
    /// dossier topics, one delivery worker per registered destination adapter, the admin view, and the
    /// hash-chained evidence recorder.
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
        services.TryAddSingleton<DossierProjection>();
        services.TryAddSingleton<KafkaDossierEventLog>();
        services.TryAddSingleton<IDossierEventLog>(sp => sp.GetRequiredService<KafkaDossierEventLog>());
        services.TryAddSingleton<IDossierAdmin, KafkaDossierAdmin>();
        services.AddHostedService<KafkaStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DossierProjection>());
        services.AddHostedService<DeliveryWorkers>();
        services.AddOptions<Evidence.EvidenceOptions>().BindConfiguration("Evidence").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Evidence.KafkaEvidenceRecorder>();
        // The durable, hash-chained recorder replaces the core's log-only default.
        services.RemoveAll<OneStop.Hub.Evidence.IEvidenceRecorder>();
        services.AddSingleton<OneStop.Hub.Evidence.IEvidenceRecorder>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        services.TryAddSingleton<OneStop.Hub.Evidence.IEvidenceStore>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka");
        return builder;
    }
}
