using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OneStop.Adapters.Emc;

public static class EmcRegistration
{
    /// <summary>Destination and upstream name: configuration section <c>Upstreams:emc</c>, mapping <c>emc.request</c>.</summary>
    public const string Upstream = "emc";

    /// <summary>The tracking endpoint, unless <c>Upstreams:emc:Endpoint</c> says otherwise.</summary>
    public const string DefaultEndpoint = "/TrackingMCDT";

    /// <summary>Parameters the mapping needs: the SiteId EMC knows the province's system by, and the province code (User.LOCATION).</summary>
    public static readonly string[] RequiredParameters = ["site_id", "ma_tinh"];

    /// <summary>
    /// Registers EMC as a destination of dossier events (an <see cref="IDeliveryAdapter"/>) and its upstream:
    /// options from <c>Upstreams:emc</c> (<c>Parameters:site_id</c> and <c>Parameters:ma_tinh</c> required),
    /// OAuth2 token and resilience pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddEmcAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UpstreamOptions>(Upstream).Validate(
            o => RequiredParameters.All(p => o.Parameters.TryGetValue(p, out var v) && !string.IsNullOrWhiteSpace(v)),
            $"{UpstreamServiceCollectionExtensions.Section}:{Upstream}:Parameters needs {string.Join(" and ", RequiredParameters)}");
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryAdapter, EmcAdapter>());
        return builder;
    }
}
