using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace OneStop.Hub.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>Kafka: the cluster (embedded mock cluster when none is configured), its health check, and the evidence chain on Kafka.</summary>
    public static IHostApplicationBuilder AddKafkaRouting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration("Kafka").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<KafkaCluster>();
        builder.Services.AddHostedService<Internal.KafkaStartup>();
        builder.Services.AddOptions<Evidence.EvidenceOptions>().BindConfiguration("Evidence").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<Evidence.KafkaEvidenceRecorder>();
        // The durable, hash-chained recorder replaces the core's log-only default.
        builder.Services.RemoveAll<OneStop.Hub.Evidence.IEvidenceRecorder>();
        builder.Services.AddSingleton<OneStop.Hub.Evidence.IEvidenceRecorder>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        builder.Services.TryAddSingleton<OneStop.Hub.Evidence.IEvidenceStore>(sp => sp.GetRequiredService<Evidence.KafkaEvidenceRecorder>());
        builder.Services.AddHealthChecks().AddCheck<Internal.KafkaHealthCheck>("kafka");
        return builder;
    }
}
