using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace OneStop.Adapters.NationalPortal;

/// <summary>
/// The portal's pull services as a provincial system calls them: every call a POST of <c>{session, service, donViXuLy, …}</c>
/// to the adapter path, with the same session login (and re-login on expiry) and resilience pipeline as delivery.
/// <c>DanhSachHoSo</c> answers <c>{data:[{maHoSo, …}]}</c>, <c>TraCuuHoSo</c> <c>{data:[detail]}</c> (or <c>result</c>),
/// <c>LayTaiLieuHoSo</c> <c>{TepTinDinhKem:[{…, Base64}]}</c>.
/// </summary>
internal sealed class PortalInboundClient([FromKeyedServices(NationalPortalRegistration.Upstream)] UpstreamClient upstream) : IPortalInboundClient
{
    private const string Upstream = NationalPortalRegistration.Upstream;

    private string Endpoint => string.IsNullOrWhiteSpace(upstream.Options.Endpoint) ? NationalPortalRegistration.DefaultEndpoint : upstream.Options.Endpoint;

    public async Task<IReadOnlyList<string>> ListAsync(string agency, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("DanhSachHoSo", agency, body =>
        {
            body["ngayNhan1"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            body["ngayNhan2"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        foreach (var entry in Array(reply, "data", "DanhSachHoSo"))
        {
            if (entry is JsonObject o && UpstreamRequests.CodeText(o["maHoSo"] ?? o["MaHoSo"]) is { Length: > 0 } code)
            {
                list.Add(code);
            }
            else
            {
                throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, "DanhSachHoSo: an entry has no maHoSo");
            }
        }

        return list;
    }

    public async Task<JsonObject?> DetailAsync(string agency, string maHoSo, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("TraCuuHoSo", agency, body => body["mahoso"] = maHoSo, cancellationToken).ConfigureAwait(false);
        var data = reply["data"] is JsonArray ? Array(reply, "data", "TraCuuHoSo") : Array(reply, "result", "TraCuuHoSo");
        return data.FirstOrDefault() as JsonObject;
    }

    public async Task<byte[]> FileAsync(string agency, string path, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("LayTaiLieuHoSo", agency, body => body["duongdanteptin"] = path, cancellationToken).ConfigureAwait(false);
        var file = Array(reply, "TepTinDinhKem", "LayTaiLieuHoSo").FirstOrDefault() as JsonObject;
        if (file?["Base64"] is not JsonValue value || !value.TryGetValue<string>(out var base64))
        {
            throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, "LayTaiLieuHoSo: no Base64 content");
        }

        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, "LayTaiLieuHoSo: Base64 content does not decode", e);
        }
    }

    public Task<IReadOnlyList<JsonObject>> ProceduresAsync(CancellationToken cancellationToken) => CatalogueAsync("LayDanhSachTTHC", cancellationToken);

    public Task<IReadOnlyList<JsonObject>> AgenciesAsync(CancellationToken cancellationToken) => CatalogueAsync("LayDanhMucCoQuan", cancellationToken);

    /// <summary>A catalogue list: <c>{result:[…]}</c> or <c>{data:[…]}</c>, every entry an object.</summary>
    private async Task<IReadOnlyList<JsonObject>> CatalogueAsync(string service, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(service, null, _ => { }, cancellationToken).ConfigureAwait(false);
        var list = reply["data"] is JsonArray ? Array(reply, "data", service) : Array(reply, "result", service);
        return [.. list.Select(e => e as JsonObject ?? throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, $"{service}: an entry is not an object"))];
    }

    private Task<JsonObject> CallAsync(string service, string? agency, Action<JsonObject> fill, CancellationToken ct) =>
        upstream.CallJsonAsync(
            session =>
            {
                var body = new JsonObject { ["session"] = session, ["service"] = service };
                if (agency is not null)
                {
                    body["donViXuLy"] = agency;
                    body["madonvi"] = agency;
                }

                fill(body);
                return UpstreamRequests.PostJson(Endpoint, body);
            },
            reply =>
            {
                if (reply is not JsonObject body || UpstreamRequests.CodeText(body["error_code"]) is not { } code)
                {
                    throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, $"{service} reply has no error_code");
                }

                if (code != "0")
                {
                    var message = body["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "";
                    throw new UpstreamException(Upstream, code == "-1" ? UpstreamFailure.Unavailable : UpstreamFailure.Rejected,
                        $"{service}: error_code {code}: {UpstreamRequests.Brief(message)}");
                }

                return body;
            },
            ct);

    private static JsonArray Array(JsonObject reply, string name, string service) => reply[name] switch
    {
        JsonArray array => array,
        null => [],
        _ => throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, $"{service}: {name} is not a list"),
    };
}
