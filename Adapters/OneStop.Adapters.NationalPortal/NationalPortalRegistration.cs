using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters.NationalPortal.Internal;

namespace OneStop.Adapters.NationalPortal;

public static class NationalPortalRegistration
{
    /// <summary>
    /// Destination and upstream name: configuration section <c>Upstreams:portal</c>, mappings
    /// <c>portal.dossier.request</c> and <c>portal.progress.request</c>.
    /// </summary>
    public const string Upstream = "portal";

    /// <summary>The adapter path every service call is posted to, unless <c>Upstreams:portal:Endpoint</c> says otherwise.</summary>
    public const string DefaultEndpoint = "/dvcqg";

    /// <summary>The session login path, unless <c>Upstreams:portal:TokenPath</c> says otherwise.</summary>
    public const string DefaultLoginPath = "/dvcqg/auth";

    /// <summary>The parameter holding the province's <c>dstcode</c>, sent as a header on the login and every call.</summary>
    public const string DstCodeParameter = "dstcode";

    /// <summary>
    /// Registers the national portal as a destination of dossier events (an <see cref="IDeliveryAdapter"/>) and
    /// its upstream: options from <c>Upstreams:portal</c> (ClientId/ClientSecret are the portal's username and
    /// password; <c>Parameters:dstcode</c> is required), a session login instead of OAuth2, and the resilience pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddNationalPortalAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UpstreamOptions>(Upstream)
            .Configure(o => o.TokenPath = DefaultLoginPath) // before binding: configuration still wins
            .Validate(
                o => o.Parameters.TryGetValue(DstCodeParameter, out var code) && !string.IsNullOrWhiteSpace(code),
                $"{UpstreamServiceCollectionExtensions.Section}:{Upstream}:Parameters:{DstCodeParameter} is required (the province's code on the national portal)");
        builder.Services.AddUpstream(Upstream, context => new PortalSession(context));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryAdapter, NationalPortalAdapter>());
        builder.Services.TryAddSingleton<IPortalInboundClient, PortalInboundClient>();
        return builder;
    }
}
