using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Hub.State;

namespace OneStop.Hub.Kafka.State;

public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Registers a state table named <paramref name="name"/>, materialised from the compacted topic
    /// <paramref name="topic"/> into this instance's local store (<c>State:Path</c>). Resolve it with
    /// <c>IStateStore.Table(name)</c>. Safe to call from several modules; the store is registered once.
    /// </summary>
    public static IServiceCollection AddKafkaStateTable(this IServiceCollection services, string name, Func<KafkaTopics, string> topic)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(topic);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a table name cannot contain NUL", nameof(name));
        }

        services.AddSingleton(new StateTableRegistration(name, topic));
        if (services.Any(d => d.ServiceType == typeof(KafkaStateStore)))
        {
            return services;
        }

        services.AddOptions<StateOptions>().BindConfiguration("State");
        services.TryAddSingleton<KafkaStateStore>();
        services.TryAddSingleton<IStateStore>(sp => sp.GetRequiredService<KafkaStateStore>());
        services.AddHostedService(sp => sp.GetRequiredService<KafkaStateStore>());
        services.AddHealthChecks().AddCheck<StateHealthCheck>("state");
        return services;
    }
}

internal sealed class StateHealthCheck(KafkaStateStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = store.Tables.Where(t => t.Problem is not null).Select(t => $"{t.Name}: {t.Problem}").ToList();
        return Task.FromResult(problems.Count == 0 ? HealthCheckResult.Healthy($"state store at {store.Path}") : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}
