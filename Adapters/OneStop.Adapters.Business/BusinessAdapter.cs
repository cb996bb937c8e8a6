using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Business;

/// <summary>Business-registration database (CSDLQG về ĐKDN): registration details by MST (reply GetEntCert).</summary>
internal sealed class BusinessAdapter(
    [FromKeyedServices(BusinessRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings)
    : MappedLookupAdapter<EnterpriseQuery, DoanhNghiep>(upstream, mappings, CanonicalJson.Default.EnterpriseQuery, CanonicalJson.Default.DoanhNghiep)
{
    protected override string DefaultEndpoint => "/api/doanhnghiep/chiTietDoanhNghiep";

    protected override HttpRequestMessage BuildRequest(JsonObject upstreamRequest) => GetWithQuery(upstreamRequest);
}
