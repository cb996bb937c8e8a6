using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Business;

public static class BusinessRegistration
{
    /// <summary>Upstream name: configuration section <c>Upstreams:business</c>, mappings <c>business.request</c> and <c>business.reply</c>.</summary>
    public const string Upstream = "business";

    /// <summary>Registers the business adapter and its upstream (options, token, resilience pipeline).</summary>
    public static IHostApplicationBuilder AddBusinessAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddSingleton<ILookupAdapter<EnterpriseQuery, DoanhNghiep>, BusinessAdapter>();
        builder.Services.AddSingleton<IMappingCatalogCheck>(new RequiredMappings(Upstream, $"{Upstream}.request", $"{Upstream}.reply"));
        return builder;
    }
}
