using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Insurance;

/// <summary>Social-insurance database (BHXH): participation periods and health-insurance card by MaSoBHXH or SoDinhDanh.</summary>
internal sealed class InsuranceAdapter(
    [FromKeyedServices(InsuranceRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings)
    : MappedLookupAdapter<InsuranceQuery, SoBhxh>(upstream, mappings, CanonicalJson.Default.InsuranceQuery, CanonicalJson.Default.SoBhxh)
{
    protected override string DefaultEndpoint => "/api/bhxh/tracuu";

    protected override HttpRequestMessage BuildRequest(JsonObject upstreamRequest) => PostJson(upstreamRequest);

    protected override void CheckReply(JsonNode reply) => RequireErrorCodeZero(reply);
}
