using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Hub.Internal;
using OneStop.Hub.Lookups;
using OneStop.Hub.Security;
using Microsoft.Extensions.Options;
using OneStop.Hub.Mappings;

namespace OneStop.Hub;

public static class HubServiceCollectionExtensions
{
    /// <summary>
    /// Registers the transport-free core: lookups, mappings (<c>Mappings:Path</c>, watched and reloaded safely; see
    /// <see cref="IMappingAdmin"/>), the client registry (<c>Security</c>), evidence, the clock.
    /// </summary>
    public static IHostApplicationBuilder AddOneStopHub(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MappingsOptions>().BindConfiguration("Mappings").ValidateDataAnnotations().ValidateOnStart();
        if (builder.Environment.IsDevelopment())
        {
            // Development resolves Mappings:Path from the content root, so the demo watches the repository's files.
            var contentRoot = builder.Environment.ContentRootPath;
            services.PostConfigure<MappingsOptions>(o => o.BaseDirectory = contentRoot);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddOptions<ShadowOptions>().BindConfiguration("Mappings:Shadow").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ShadowWindow>();
        services.TryAddSingleton<IMappingShadow, ShadowRunner>();
        services.TryAddSingleton<ReloadingMappingSource>();
        services.TryAddSingleton<IMappingSource>(sp => sp.GetRequiredService<ReloadingMappingSource>());
        services.TryAddSingleton<IMappingAdmin>(sp => sp.GetRequiredService<ReloadingMappingSource>());
        services.AddHostedService(sp => sp.GetRequiredService<ReloadingMappingSource>());
        services.AddOptions<SecurityOptions>().BindConfiguration("Security").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());
        services.TryAddSingleton<IAccessPolicy, AccessPolicy>();
        services.TryAddSingleton<IEvidenceRecorder, LogEvidenceRecorder>();
        services.TryAddSingleton<Exchanges>();
        services.TryAddSingleton<ExchangeGate>();
        services.TryAddSingleton<ICallerAccessor, AnonymousCallerAccessor>();
        services.TryAddSingleton<LookupService>();
        services.TryAddSingleton<Dossiers.DossierIngestService>();
        return builder;
    }
}
