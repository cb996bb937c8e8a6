using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Population;

public static class PopulationRegistration
{
    /// <summary>Upstream name: configuration section <c>Upstreams:population</c>, mappings <c>population.request</c> and <c>population.reply</c>.</summary>
    public const string Upstream = "population";

    /// <summary>The integration codes the national population database issued to the province (MaDVC, MaTichHop): every request carries them.</summary>
    public static readonly string[] RequiredParameters = ["ma_dvc", "ma_tich_hop"];

    /// <summary>Registers the population adapter and its upstream (options, token, resilience pipeline).</summary>
    public static IHostApplicationBuilder AddPopulationAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UpstreamOptions>(Upstream).Validate(
            o => RequiredParameters.All(p => o.Parameters.TryGetValue(p, out var v) && !string.IsNullOrWhiteSpace(v)),
            $"{UpstreamServiceCollectionExtensions.Section}:{Upstream}:Parameters needs {string.Join(" and ", RequiredParameters)}");
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddSingleton<ILookupAdapter<CitizenQuery, CongDan>, PopulationAdapter>();
        builder.Services.AddSingleton<IMappingCatalogCheck>(new RequiredMappings(Upstream, $"{Upstream}.request", $"{Upstream}.reply"));
        return builder;
    }
}
