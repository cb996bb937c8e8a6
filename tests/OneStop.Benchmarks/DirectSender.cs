using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStop.Adapters;
using OneStop.Mappings;
using OneStop.Mocks;
using OneStop.Testing;

namespace OneStop.Benchmarks;

/// <summary>
/// The delivery benchmark's direct path: the requests the EMC and portal adapters send for a dossier event, mapped by
/// the same mapping files and sent straight to the fakes with the same token and session.
/// </summary>
internal sealed class DirectSender : IDisposable
{
    private readonly HttpClient _emcHttp;
    private readonly HttpClient _portalHttp;
    private readonly string _token;
    private readonly string _session;
    private readonly MappingDefinition _emcMapping;
    private readonly MappingDefinition _portalMapping;
    private readonly UpstreamOptions _emcOptions;
    private readonly UpstreamOptions _portalOptions;

    private DirectSender(DestinationMocks fakes, HttpClient emcHttp, HttpClient portalHttp, string token, string session)
    {
        _emcHttp = emcHttp;
        _portalHttp = portalHttp;
        _token = token;
        _session = session;
        var mappings = MappingLoader.LoadFolder(RepoPaths.MappingFiles);
        _emcMapping = mappings.Get("emc.request");
        _portalMapping = mappings.Get("portal.dossier.request");
        _emcOptions = Options(fakes.Emc);
        _portalOptions = Options(fakes.Portal);
    }

    public static async Task<DirectSender> CreateAsync(DestinationMocks fakes)
    {
        var emcHttp = new HttpClient { BaseAddress = fakes.Emc.Url };
        var portalHttp = new HttpClient { BaseAddress = fakes.Portal.Url };
        return new DirectSender(fakes, emcHttp, portalHttp, await DeliveryBenchmark.TokenAsync(emcHttp), await PortalSessionAsync(portalHttp));
    }

    /// <summary>
    /// The EMC tracking call and, when <paramref name="withPortal"/>, the portal's <c>DongBoHoSoMC</c>, concurrently; the
    /// idempotency keys are <c>{id}:emc</c> and <c>{id}:portal</c>, as the hub's.
    /// </summary>
    public Task SendAsync(Schemas.Canonical.DossierEvent e, string id, bool withPortal, bool portalKnowsDossier) =>
        Task.WhenAll(ToEmcAsync(e, id), withPortal ? ToPortalAsync(e, id, portalKnowsDossier) : Task.CompletedTask);

    /// <summary>The EMC tracking call alone (idempotency key <c>{id}:emc</c>).</summary>
    public Task ToEmcAsync(Schemas.Canonical.DossierEvent e, string id) =>
        SendEmcAsync(DeliveryRequests.Map(_emcMapping, DeliveryRequests.Source(e, _emcOptions), "emc"), $"{id}:emc");

    /// <summary>The portal's <c>DongBoHoSoMC</c> alone (idempotency key <c>{id}:portal</c>).</summary>
    public Task ToPortalAsync(Schemas.Canonical.DossierEvent e, string id, bool portalKnowsDossier) =>
        SendPortalAsync(DeliveryRequests.Map(_portalMapping, DeliveryRequests.Source(e, _portalOptions), "portal"), portalKnowsDossier, $"{id}:portal");

    public void Dispose()
    {
        _emcHttp.Dispose();
        _portalHttp.Dispose();
    }

    /// <summary>The canonical event the hub makes of a published one (the fields the destinations' mappings read).</summary>
    public static Schemas.Canonical.DossierEvent Canonical(OneStop.Grpc.V1.DossierEvent e) => new()
    {
        EventId = e.ClientEventId,
        ClientEventId = e.ClientEventId,
        Client = "bench",
        AcceptedAt = DateTimeOffset.UtcNow,
        MaHoSo = e.MaHoSo,
        MaTthc = e.MaTthc,
        TenTthc = e.TenTthc,
        TrangThaiHoSo = e.TrangThaiHoSo,
        NgayTiepNhan = DateTimeOffset.Parse(e.NgayTiepNhan, CultureInfo.InvariantCulture),
        DonViXuLy = e.DonViXuLy,
        KenhThucHien = e.KenhThucHien,
        LoaiDoiTuong = e.LoaiDoiTuong,
        TaiKhoanXacThuc = e.TaiKhoanXacThuc,
        SoGiayToChuHoSo = e.SoGiayToChuHoSo,
        MucDo = e.MucDo,
    };

    private static UpstreamOptions Options(DestinationMock fake)
    {
        var options = new UpstreamOptions();
        foreach (var (k, v) in DestinationMocks.DemoParametersFor(fake))
        {
            options.Parameters[k] = v;
        }

        return options;
    }

    private async Task SendEmcAsync(JsonObject body, string key)
    {
        using var request = UpstreamRequests.PostJson(EmcMock.TrackingPath, body, key);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _emcHttp.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private async Task SendPortalAsync(JsonObject item, bool exists, string key)
    {
        var body = new JsonObject
        {
            ["session"] = _session, ["madonvi"] = item["DonViXuLy"]!.GetValue<string>(), ["service"] = "DongBoHoSoMC",
            ["isUpdating"] = exists ? "True" : "False", ["data"] = new JsonArray(item),
        };
        using var request = UpstreamRequests.PostJson(PortalMock.ServicePath, body, key);
        request.Headers.Add("dstcode", PortalMock.DemoDstCode);
        using var response = await _portalHttp.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        if (reply.RootElement.GetProperty("error_code").ToString() != "0")
        {
            throw new InvalidOperationException($"portal refused the direct call: {reply.RootElement}");
        }
    }

    /// <summary>The portal fake's session for the demo credentials, as the portal adapter logs in.</summary>
    private static async Task<string> PortalSessionAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PortalMock.LoginPath)
        {
            Content = JsonContent.Create(new { username = MockServer.DemoClientId, password = MockServer.DemoClientSecret }),
        };
        request.Headers.Add("dstcode", PortalMock.DemoDstCode);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("session").GetString()!;
    }
}
