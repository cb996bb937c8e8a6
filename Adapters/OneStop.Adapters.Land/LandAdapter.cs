using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Land;

/// <summary>Land database (CSDL đất đai): parcel and certificate by commune, map sheet and parcel number.</summary>
internal sealed class LandAdapter(
    [FromKeyedServices(LandRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings)
    : MappedLookupAdapter<LandParcelQuery, ThuaDat>(upstream, mappings, CanonicalJson.Default.LandParcelQuery, CanonicalJson.Default.ThuaDat)
{
    protected override string DefaultEndpoint => "/api/datdai/thuadat";

    protected override HttpRequestMessage BuildRequest(JsonObject upstreamRequest) => GetWithQuery(upstreamRequest);

    /// <summary>Land replies {data, status:{success, code, message}}; a failure other than 404 is the upstream refusing.</summary>
    protected override void CheckReply(JsonNode reply)
    {
        if (reply["status"] is not JsonObject status || status["success"] is not JsonValue success)
        {
            throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, "reply has no status.success");
        }

        if (success.TryGetValue<bool>(out var ok) && ok)
        {
            return;
        }

        var code = status["code"]?.ToString() ?? "";
        if (code != "404")
        {
            throw new UpstreamException(Upstream, UpstreamFailure.Rejected, $"status code {code}: {status["message"]}");
        }
    }
}
