using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace OneStop.Adapters.Postal;

/// <summary>The tracking feed over the postal upstream (OAuth2 token and resilience pipeline shared with orders).</summary>
internal sealed class PostalTrackingClient([FromKeyedServices(PostalRegistration.Upstream)] UpstreamClient upstream) : IPostalTrackingClient
{
    public const string DefaultTrackingEndpoint = "/api/order/tracking";
    public const string TrackingEndpointParameter = "tracking_endpoint";

    public Task<IReadOnlyList<PostalTrackingItem>> PageAsync(long lastId, int pageSize, CancellationToken cancellationToken)
    {
        var path = upstream.Options.Parameters.GetValueOrDefault(TrackingEndpointParameter) is { Length: > 0 } p ? p : DefaultTrackingEndpoint;
        return upstream.CallJsonAsync(
            () => UpstreamRequests.GetWithQuery(path, new JsonObject { ["pagesize"] = pageSize, ["lastId"] = lastId }),
            reply =>
            {
                if (reply is not JsonArray page)
                {
                    throw new UpstreamException(PostalRegistration.Upstream, UpstreamFailure.MalformedReply, "tracking reply is not a list");
                }

                var items = new List<PostalTrackingItem>(page.Count);
                foreach (var node in page)
                {
                    if (node is not JsonObject e || !long.TryParse(UpstreamRequests.CodeText(e["Id"]), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                        || UpstreamRequests.CodeText(e["OrderNumber"]) is not { } order || UpstreamRequests.CodeText(e["StatusCode"]) is not { } status)
                    {
                        throw new UpstreamException(PostalRegistration.Upstream, UpstreamFailure.MalformedReply, "a tracking entry lacks Id, OrderNumber or StatusCode");
                    }

                    items.Add(new PostalTrackingItem(id, order, UpstreamRequests.CodeText(e["ItemCode"]), status, UpstreamRequests.CodeText(e["StatusMessage"]),
                        UpstreamRequests.CodeText(e["EventTime"]), UpstreamRequests.CodeText(e["POSID"]), UpstreamRequests.CodeText(e["Notes"])));
                }

                return (IReadOnlyList<PostalTrackingItem>)items;
            },
            cancellationToken);
    }
}
