using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneStop.Hub.Inbound;
using OneStop.Hub.Kafka.Inbound;
using OneStop.Hub.Kafka.State;

namespace OneStop.Hub.Kafka;

public static class KafkaInboundRegistration
{
    /// <summary>The inbound topic, its state table, subscriptions and the pull-ownership group (call after <c>AddKafkaRouting</c>).</summary>
    public static IServiceCollection AddKafkaInbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<AgencyPartitions>();
        services.TryAddSingleton<KafkaInboundLog>();
        services.TryAddSingleton<IInboundLog>(sp => sp.GetRequiredService<KafkaInboundLog>());
        foreach (var table in KafkaInboundState.Tables)
        {
            services.AddKafkaStateTable(table, topics => topics.InboundTable(table));
        }

        services.TryAddSingleton<IInboundState, KafkaInboundState>();
        services.TryAddSingleton<IInboundSubscriptions, KafkaInboundSubscriptions>();
        services.TryAddSingleton<KafkaAgencyOwnership>();
        services.TryAddSingleton<IAgencyOwnership>(sp => sp.GetRequiredService<KafkaAgencyOwnership>());
        services.AddHostedService(sp => sp.GetRequiredService<KafkaAgencyOwnership>());
        return services;
    }
}
