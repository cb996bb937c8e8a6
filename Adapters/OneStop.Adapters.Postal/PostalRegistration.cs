using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OneStop.Adapters.Postal;

public static class PostalRegistration
{
    /// <summary>
    /// Destination and upstream name: configuration section <c>Upstreams:postal</c>, mappings
    /// <c>postal.order.request</c> and <c>postal.cancel.request</c>.
    /// </summary>
    public const string Upstream = "postal";

    /// <summary>The create-order endpoint, unless <c>Upstreams:postal:Endpoint</c> says otherwise.</summary>
    public const string DefaultEndpoint = "/api/order/post";

    /// <summary>The cancel endpoint, unless <c>Upstreams:postal:Parameters:cancel_endpoint</c> says otherwise.</summary>
    public const string DefaultCancelEndpoint = "/api/order/cancel";

    public const string CancelEndpointParameter = "cancel_endpoint";

    /// <summary>Parameters the mappings need: the contract's CustomerCode and the sender (the one-stop desk).</summary>
    public static readonly string[] RequiredParameters = ["customer_code", "sender_province", "sender_address", "sender_name", "sender_tel"];

    /// <summary>
    /// Registers the postal operator as a destination of dossier events (an <see cref="IDeliveryAdapter"/>) and
    /// its upstream: options from <c>Upstreams:postal</c> (the <see cref="RequiredParameters"/> are required),
    /// OAuth2 token and resilience pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddPostalAdapter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UpstreamOptions>(Upstream).Validate(
            o => RequiredParameters.All(p => o.Parameters.TryGetValue(p, out var v) && !string.IsNullOrWhiteSpace(v)),
            $"{UpstreamServiceCollectionExtensions.Section}:{Upstream}:Parameters needs {string.Join(", ", RequiredParameters)}");
        builder.Services.AddUpstream(Upstream);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryAdapter, PostalAdapter>());
        builder.Services.TryAddSingleton<IPostalTrackingClient, PostalTrackingClient>();
        return builder;
    }
}
