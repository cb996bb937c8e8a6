using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Mappings;
using OneStop.Schemas.Canonical;

namespace OneStop.Adapters.NationalPortal;

/// <summary>
/// The national public-service portal (Cổng DVCQG) as a destination of dossier events. For every event:
/// <c>TraCuuHoSo</c> to learn whether the portal holds the dossier, then <c>DongBoHoSoMC</c> with isUpdating
/// True (it does) or False (it does not); when the portal answers that the dossier "đã tồn tại" (created
/// meanwhile) the push is repeated as an update, and when an update finds it missing, as a create. An event
/// that reports a processing step (<c>buoc_xu_ly</c>) is then pushed with <c>CapNhatTienDoHoSoMC</c>.
/// An event about a dossier submitted on the portal itself (<c>tu_dvcqg</c>) is reported with <c>DongBoTrangThaiHoSo</c>
/// instead (mapping <c>portal.status.request</c>). Both writes carry an idempotency key derived from the hub's; without it (the real portal has none) a
/// repeat is still harmless: an update with the same data, and a progress step the portal keeps once.
/// </summary>
internal sealed class NationalPortalAdapter(
    [FromKeyedServices(NationalPortalRegistration.Upstream)] UpstreamClient upstream,
    IMappingSource mappings) : IDeliveryAdapter
{
    public const string DossierMapping = "portal.dossier.request";
    public const string ProgressMapping = "portal.progress.request";
    public const string StatusMapping = "portal.status.request";

    private const string AlreadyExists = "đã tồn tại";
    private static readonly string[] DoesNotExist = ["không tồn tại", "chưa tồn tại"];

    public string Destination => NationalPortalRegistration.Upstream;

    private string Endpoint => string.IsNullOrWhiteSpace(upstream.Options.Endpoint) ? NationalPortalRegistration.DefaultEndpoint : upstream.Options.Endpoint;

    /// <summary>The portal keeps every dossier the province handles in step: it wants every event.</summary>
    public bool Wants(DossierEvent dossierEvent) => true;

    public async Task<DeliveryReceipt> DeliverAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        ArgumentNullException.ThrowIfNull(call);

        if (dossierEvent.TuDvcqg)
        {
            return await ReportStatusAsync(dossierEvent, call, cancellationToken).ConfigureAwait(false);
        }

        // One snapshot of each mapping per delivery: a reload in the middle never mixes versions.
        var dossierMapping = mappings.Get(DossierMapping);
        var progressMapping = dossierEvent.BuocXuLy is null ? null : mappings.Get(ProgressMapping);
        var source = DeliveryRequests.Source(dossierEvent, upstream.Options);
        var item = DeliveryRequests.Map(dossierMapping, source, Destination);
        var step = progressMapping is null ? null : DeliveryRequests.Map(progressMapping, source, Destination);
        var maDonVi = item["DonViXuLy"]!.GetValue<string>();

        // A dossier this hub has delivered to the portal before is there: no TraCuuHoSo (if it was removed meanwhile,
        // the portal says so and the create below follows).
        var exists = call.DeliveredBefore || await ExistsAsync(dossierEvent.MaHoSo, maDonVi, cancellationToken).ConfigureAwait(false);
        var syncKey = $"{call.IdempotencyKey}:DongBoHoSoMC";
        var reply = await SyncAsync(item, maDonVi, exists, syncKey, cancellationToken).ConfigureAwait(false);
        if (!reply.Ok && (exists ? reply.Says(DoesNotExist) : reply.Says(AlreadyExists)))
        {
            // The portal changed between TraCuuHoSo and DongBoHoSoMC (another system created it, or it was removed).
            exists = !exists;
            reply = await SyncAsync(item, maDonVi, exists, syncKey, cancellationToken).ConfigureAwait(false);
        }

        var sync = $"DongBoHoSoMC isUpdating={IsUpdating(exists)}";
        reply.ThrowUnlessOk(Destination, sync);
        if (step is null)
        {
            return new DeliveryReceipt(sync, dossierMapping.VersionTag);
        }

        var progress = await CallAsync(
            "CapNhatTienDoHoSoMC",
            maDonVi,
            body => body["data"] = new JsonArray(step.DeepClone()),
            $"{call.IdempotencyKey}:CapNhatTienDoHoSoMC",
            cancellationToken).ConfigureAwait(false);
        progress.ThrowUnlessOk(Destination, "CapNhatTienDoHoSoMC");
        return new DeliveryReceipt($"{sync}; CapNhatTienDoHoSoMC", $"{dossierMapping.VersionTag}, {progressMapping!.VersionTag}");
    }

    /// <summary>
    /// A dossier submitted on the portal (tu_dvcqg) is the portal's own: the province reports its status with
    /// <c>DongBoTrangThaiHoSo</c> (mapping <see cref="StatusMapping"/>) rather than syncing it as a dossier of its own.
    /// </summary>
    private async Task<DeliveryReceipt> ReportStatusAsync(DossierEvent dossierEvent, DeliveryCall call, CancellationToken cancellationToken)
    {
        var mapping = mappings.Get(StatusMapping);
        var item = DeliveryRequests.Map(mapping, DeliveryRequests.Source(dossierEvent, upstream.Options), Destination);
        var reply = await CallAsync(
            "DongBoTrangThaiHoSo",
            dossierEvent.DonViXuLy ?? "",
            body =>
            {
                body["type"] = "1";
                body["data"] = new JsonArray(item.DeepClone());
            },
            $"{call.IdempotencyKey}:DongBoTrangThaiHoSo",
            cancellationToken).ConfigureAwait(false);
        reply.ThrowUnlessOk(Destination, "DongBoTrangThaiHoSo");
        return new DeliveryReceipt("DongBoTrangThaiHoSo", mapping.VersionTag);
    }

    private async Task<bool> ExistsAsync(string maHoSo, string maDonVi, CancellationToken ct)
    {
        var reply = await CallAsync("TraCuuHoSo", maDonVi, body => body["mahoso"] = maHoSo, idempotencyKey: null, ct).ConfigureAwait(false);
        reply.ThrowUnlessOk(Destination, "TraCuuHoSo");
        return reply.Result.Count > 0;
    }

    private Task<PortalReply> SyncAsync(JsonObject item, string maDonVi, bool exists, string key, CancellationToken ct) =>
        CallAsync(
            "DongBoHoSoMC",
            maDonVi,
            body =>
            {
                body["isUpdating"] = IsUpdating(exists);
                body["data"] = new JsonArray(item.DeepClone());
            },
            key,
            ct);

    private static string IsUpdating(bool exists) => exists ? "True" : "False";

    /// <summary>One service call: <c>{session, madonvi, service, …}</c> posted to the adapter path; the session is filled per attempt.</summary>
    private Task<PortalReply> CallAsync(string service, string maDonVi, Action<JsonObject> fill, string? idempotencyKey, CancellationToken ct) =>
        upstream.CallJsonAsync(
            session =>
            {
                var body = new JsonObject { ["session"] = session, ["madonvi"] = maDonVi, ["service"] = service };
                fill(body);
                return UpstreamRequests.PostJson(Endpoint, body, idempotencyKey);
            },
            reply => PortalReply.Read(reply, Destination, service),
            ct);

    /// <summary><c>{error_code, message, result:[…]}</c>; error_code may be text or a number.</summary>
    private sealed record PortalReply(string Code, string Message, JsonArray Result)
    {
        public bool Ok => Code == "0";

        public static PortalReply Read(JsonNode reply, string upstream, string service)
        {
            if (reply is not JsonObject body || UpstreamRequests.CodeText(body["error_code"]) is not { } code)
            {
                throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, $"{service} reply has no error_code");
            }

            var message = body["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "";
            var result = body["result"] switch
            {
                JsonArray array => array,
                null => [],
                _ => throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, $"{service} reply's result is not a list"),
            };
            return new PortalReply(code, message, result);
        }

        public bool Says(params string[] phrases)
        {
            var normalized = Message.Normalize(NormalizationForm.FormC);
            return phrases.Any(p => normalized.Contains(p, StringComparison.OrdinalIgnoreCase));
        }

        public void ThrowUnlessOk(string upstream, string what)
        {
            if (Ok)
            {
                return;
            }

            // error_code -1: the portal refused the hub itself (dstcode): retry later, never park one dossier for it.
            var failure = Code == "-1" ? UpstreamFailure.Unavailable : UpstreamFailure.Rejected;
            throw new UpstreamException(upstream, failure, $"{what}: error_code {Code}: {UpstreamRequests.Brief(Message)}");
        }
    }
}
