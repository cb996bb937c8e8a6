using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Generic;

public static class GenericUpstreamRegistration
{
    /// <summary>
    /// Registers the file-defined upstreams: the generic lookup (upstreams in the mapping folder's <c>upstreams/</c>, REST
    /// or SOAP) and the four built-in lookups (<see cref="BuiltInLookups"/>: <c>upstreams/population.yaml</c>,
    /// <c>business.yaml</c>, <c>insurance.yaml</c>, <c>land.yaml</c>), all reached with the same adapter, HTTP client,
    /// token handling and resilience pipeline. <c>Upstreams:&lt;id&gt;:*</c> in configuration overrides a definition
    /// (address, credentials, timeouts); for the built-in lookups it is validated at start-up, as their address and
    /// credentials are the environment's.
    /// </summary>
    public static IHostApplicationBuilder AddGenericUpstreams(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddGenericUpstreams(builder.Services);
        foreach (var id in BuiltInLookups.Operations.Keys)
        {
            AddBuiltInLookup(builder.Services, id);
        }

        return builder;
    }

    internal static void AddGenericUpstreams(IServiceCollection services)
    {
        services.AddUpstreamClientFactory();
        services.TryAddSingleton<GenericUpstreamClients>();
        services.TryAddSingleton<GenericLookupAdapter>();
        services.TryAddSingleton<IGenericLookupAdapter>(sp => sp.GetRequiredService<GenericLookupAdapter>());
        services.AddSingleton<IMappingCatalogCheck, GenericUpstreamCheck>();
    }

    /// <summary>One built-in lookup: its typed adapter over the definition <c>upstreams/&lt;id&gt;.yaml</c>, the check that the folder keeps it, and its settings.</summary>
    internal static void AddBuiltInLookup(IServiceCollection services, string id)
    {
        services.AddUpstreamOptions(id);
        services.AddSingleton<IMappingCatalogCheck>(new RequiredUpstream(id));
        var json = CanonicalJson.Default;
        switch (id)
        {
            case BuiltInLookups.Population:
                services.TryAddSingleton<ILookupAdapter<CitizenQuery, CongDan>>(sp => Typed(sp, id, json.CitizenQuery, json.CongDan));
                break;
            case BuiltInLookups.Business:
                services.TryAddSingleton<ILookupAdapter<EnterpriseQuery, DoanhNghiep>>(sp => Typed(sp, id, json.EnterpriseQuery, json.DoanhNghiep));
                break;
            case BuiltInLookups.Insurance:
                services.TryAddSingleton<ILookupAdapter<InsuranceQuery, SoBhxh>>(sp => Typed(sp, id, json.InsuranceQuery, json.SoBhxh));
                break;
            case BuiltInLookups.Land:
                services.TryAddSingleton<ILookupAdapter<LandParcelQuery, ThuaDat>>(sp => Typed(sp, id, json.LandParcelQuery, json.ThuaDat));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(id), id, "not a built-in lookup");
        }
    }

    private static DefinedLookupAdapter<TQuery, TRecord> Typed<TQuery, TRecord>(
        IServiceProvider services, string id, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TQuery> query, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRecord> record)
        where TRecord : class =>
        new(id, services.GetRequiredService<GenericLookupAdapter>(), services.GetRequiredService<IMappingSource>(), query, record);
}
