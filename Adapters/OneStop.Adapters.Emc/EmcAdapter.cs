using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.Emc;

/// <summary>
/// EMC, the national monitoring system, as a destination: every dossier event becomes one
/// <c>POST /TrackingMCDT</c>, mapped by <c>emc.request</c> (which holds the dossier-status → EMC Status table).
/// The call carries the hub's idempotency key; EMC answers <c>{"success":true}</c>, or <c>success:false</c>
/// with a message when it refuses the record.
/// </summary>
internal sealed class EmcAdapter(
    [FromKeyedServices(EmcRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings) : IDeliveryAdapter
{
    public const string RequestMapping = "emc.request";

    public string Destination => EmcRegistration.Upstream;

    private string Endpoint => string.IsNullOrWhiteSpace(upstream.Options.Endpoint) ? EmcRegistration.DefaultEndpoint : upstream.Options.Endpoint;

    /// <summary>EMC measures every step of every dossier: it wants every event.</summary>
    public bool Wants(DossierEvent dossierEvent) => true;

    public async Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        ArgumentNullException.ThrowIfNull(call);
        var mapping = mappings.Get(RequestMapping);
        var body = DeliveryRequests.Map(mapping, DeliveryRequests.Source(dossierEvent, upstream.Options), Destination);
        var action = $"TrackingMCDT Status={body["Status"]}";

        await upstream.CallJsonAsync(
            () => UpstreamRequests.PostJson(Endpoint, body, call.IdempotencyKey),
            reply => Check(reply, action),
            cancellationToken).ConfigureAwait(false);
        return new DeliveryReceipt(action, mapping.VersionTag);
    }

    private bool Check(JsonNode reply, string action)
    {
        if (reply is not JsonObject o || o["success"] is not JsonValue success
            || success.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new UpstreamException(Destination, UpstreamFailure.MalformedReply, "TrackingMCDT reply has no success flag");
        }

        if (success.GetValueKind() == JsonValueKind.False)
        {
            var message = o["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "";
            throw new UpstreamException(Destination, UpstreamFailure.Rejected, $"{action}: {UpstreamRequests.Brief(message)}");
        }

        return true;
    }
}
