using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Population;

/// <summary>Population database (CSDLQG về dân cư): citizen verification; the reply carries SOAP XML inside JSON.</summary>
internal sealed class PopulationAdapter(
    [FromKeyedServices(PopulationRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings)
    : MappedLookupAdapter<CitizenQuery, CongDan>(upstream, mappings, CanonicalJson.Default.CitizenQuery, CanonicalJson.Default.CongDan)
{
    protected override string DefaultEndpoint => "/api/dancu/xacthuc";

    protected override HttpRequestMessage BuildRequest(JsonObject upstreamRequest) => PostJson(upstreamRequest);

    protected override void CheckReply(JsonNode reply) => RequireErrorCodeZero(reply);
}
