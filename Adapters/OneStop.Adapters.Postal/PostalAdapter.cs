using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Postal;

/// <summary>
/// The public postal operator (VNPost) as a destination. A result that is ready (trang_thai_ho_so 9) and goes
/// back by post (hinh_thuc 1) becomes an order; a withdrawn dossier (7) cancels its order. The OrderNumber is
/// the dossier code (mappings <c>postal.order.request</c>, <c>postal.cancel.request</c>), so a repeat can never
/// make a second order: the operator answers "already exists", which is success here, as is cancelling an
/// order that does not exist (nothing to cancel) or was cancelled before.
/// </summary>
internal sealed class PostalAdapter(
    [FromKeyedServices(PostalRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings) : IDeliveryAdapter
{
    public const string OrderMapping = "postal.order.request";
    public const string CancelMapping = "postal.cancel.request";

    public const int ResultReady = 9;
    public const int Withdrawn = 7;
    public const int ByPost = 1;

    // The operator's Status codes (docs/adapters.md).
    private const string Success = "100";
    private const string OrderNumberExists = "102";
    private const string OrderNotFound = "104";

    public string Destination => PostalRegistration.Upstream;

    private string CreateEndpoint => string.IsNullOrWhiteSpace(upstream.Options.Endpoint) ? PostalRegistration.DefaultEndpoint : upstream.Options.Endpoint;

    private string CancelEndpoint =>
        upstream.Options.Parameters.GetValueOrDefault(PostalRegistration.CancelEndpointParameter) is { Length: > 0 } path ? path : PostalRegistration.DefaultCancelEndpoint;

    /// <summary>
    /// A result ready to go back by post, and every withdrawal (it cancels the order if there is one; the event
    /// may no longer say the result was to be posted, and a cancel of no order costs one call and changes nothing).
    /// </summary>
    public bool Wants(DossierEvent dossierEvent)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        return (dossierEvent.TrangThaiHoSo == ResultReady && dossierEvent.HinhThuc == ByPost) || dossierEvent.TrangThaiHoSo == Withdrawn;
    }

    public async Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        ArgumentNullException.ThrowIfNull(call);
        if (!Wants(dossierEvent))
        {
            return new DeliveryReceipt("skipped: not an order to create or cancel", null);
        }

        var create = dossierEvent.TrangThaiHoSo == ResultReady;
        var mapping = mappings.Get(create ? OrderMapping : CancelMapping);
        var body = DeliveryRequests.Map(mapping, DeliveryRequests.Source(dossierEvent, upstream.Options), Destination);
        var (path, operation) = create ? (CreateEndpoint, "create order") : (CancelEndpoint, "cancel order");

        var status = await upstream.CallJsonAsync(
            () => UpstreamRequests.PostJson(path, body, call.IdempotencyKey),
            reply => Read(reply, operation),
            cancellationToken).ConfigureAwait(false);

        var action = (create, status.Code) switch
        {
            (true, Success) => "order created",
            (true, OrderNumberExists) => "order already exists",
            (false, Success) => "order cancelled",
            (false, OrderNotFound) => "no order to cancel",
            _ => throw new UpstreamException(Destination, UpstreamFailure.Rejected,
                $"{operation}: Status {status.Code}: {UpstreamRequests.Brief(status.Message)}"),
        };
        return new DeliveryReceipt(action, mapping.VersionTag);
    }

    private (string Code, string Message) Read(JsonNode reply, string operation)
    {
        if (reply is not JsonObject o || UpstreamRequests.CodeText(o["Status"]) is not { } code)
        {
            throw new UpstreamException(Destination, UpstreamFailure.MalformedReply, $"{operation} reply has no Status");
        }

        return (code, o["Message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "");
    }
}
