using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Land;

public static class LandRegistration
{
    /// <summary>Upstream name: configuration section <c>Upstreams:land</c>, mappings <c>land.request</c> and <c>land.reply</c>.</summary>
    public const string Upstream = "land";

    /// <summary>Registers the land adapter and its upstream (options, token, resilience pipeline).</summary>
    public static IHostApplicationBuilder AddLandAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddSingleton<ILookupAdapter<LandParcelQuery, ThuaDat>, LandAdapter>();
        builder.Services.AddSingleton<IMappingCatalogCheck>(new RequiredMappings(Upstream, $"{Upstream}.request", $"{Upstream}.reply"));
        return builder;
    }
}
