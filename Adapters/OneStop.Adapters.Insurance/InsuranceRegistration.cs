using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Insurance;

public static class InsuranceRegistration
{
    /// <summary>Upstream name: configuration section <c>Upstreams:insurance</c>, mappings <c>insurance.request</c> and <c>insurance.reply</c>.</summary>
    public const string Upstream = "insurance";

    /// <summary>Registers the insurance adapter and its upstream (options, token, resilience pipeline).</summary>
    public static IHostApplicationBuilder AddInsuranceAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddSingleton<ILookupAdapter<InsuranceQuery, SoBhxh>, InsuranceAdapter>();
        builder.Services.AddSingleton<IMappingCatalogCheck>(new RequiredMappings(Upstream, $"{Upstream}.request", $"{Upstream}.reply"));
        return builder;
    }
}
