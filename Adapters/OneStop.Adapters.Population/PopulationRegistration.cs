using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Population;

public static class PopulationRegistration
{
    /// <summary>Upstream name: configuration section <c>Upstreams:population</c>, mappings <c>population.request</c> and <c>population.reply</c>.</summary>
    public const string Upstream = "population";

    /// <summary>Registers the population adapter and its upstream (options, token, resilience pipeline).</summary>
    public static IHostApplicationBuilder AddPopulationAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddSingleton<ILookupAdapter<CitizenQuery, CongDan>, PopulationAdapter>();
        builder.Services.AddSingleton<IMappingCatalogCheck>(new RequiredMappings(Upstream, $"{Upstream}.request", $"{Upstream}.reply"));
        return builder;
    }
}
