using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace OneStop.Hub.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>Kafka: the cluster (embedded mock cluster when none is configured) and its health check.</summary>
    public static IHostApplicationBuilder AddKafkaRouting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration("Kafka").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<KafkaCluster>();
        builder.Services.AddHostedService<Internal.KafkaStartup>();
        builder.Services.AddHealthChecks().AddCheck<Internal.KafkaHealthCheck>("kafka");
        return builder;
    }
}
