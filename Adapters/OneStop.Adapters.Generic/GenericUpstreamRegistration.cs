using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OneStop.Adapters.Generic;

public static class GenericUpstreamRegistration
{
    /// <summary>
    /// Registers the generic lookup adapter: upstreams defined by files in the mapping folder's <c>upstreams/</c>
    /// (REST or SOAP), reached with the same HTTP client, token handling and resilience pipeline as the built-in
    /// adapters. <c>Upstreams:&lt;id&gt;:*</c> in configuration overrides a definition (address, credentials, timeouts).
    /// </summary>
    public static IHostApplicationBuilder AddGenericUpstreams(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddUpstreamClientFactory();
        builder.Services.TryAddSingleton<GenericUpstreamClients>();
        builder.Services.TryAddSingleton<IGenericLookupAdapter, GenericLookupAdapter>();
        builder.Services.AddSingleton<IMappingCatalogCheck, GenericUpstreamCheck>();
        return builder;
    }
}
