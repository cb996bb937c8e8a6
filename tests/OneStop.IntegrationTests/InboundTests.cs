using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Grpc.V1;
using OneStop.Hub.Inbound;
using OneStop.Hub.Kafka;
using OneStop.Hub.Security;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;
using Soap = OneStop.Schemas.Soap;

namespace OneStop.IntegrationTests;

/// <summary>The real host on the embedded Kafka cluster with the fakes; two pulled agencies and a one-stop system owning one agency.</summary>
public sealed class InboundFixture : IAsyncLifetime
{
    public const string PortalKey = "onestop-portal-key";
    public const string AgencyOneKey = "onestop-agency-one-key";
    public const string AgencyOne = "000.00.01.H56";
    public const string AgencyTwo = "000.00.02.H56";
    public const string PulledA = "000.00.03.H56";
    public const string PulledB = "000.00.04.H56";

    public TestSystems Systems { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public string Attachments { get; } = Path.Combine(Path.GetTempPath(), $"onestop-attachments-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        settings["Inbound:Agencies:0"] = PulledA;
        settings["Inbound:Agencies:1"] = PulledB;
        settings["Inbound:PullInterval"] = "00:00:01";
        settings["Inbound:InitialBackoff"] = "00:00:00.200";
        settings["Inbound:MaxBackoff"] = "00:00:01";
        settings["Inbound:AttachmentsPath"] = Attachments;
        settings["Inbound:PostalTrackingInterval"] = "00:00:01";
        settings["Security:Clients:agency-one:ApiKeyHash"] = ApiKeys.Hash(AgencyOneKey);
        settings["Security:Clients:agency-one:Operations:0"] = "InboundService/*";
        settings["Security:Clients:agency-one:Agencies:0"] = AgencyOne;
        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
        if (Directory.Exists(Attachments))
        {
            Directory.Delete(Attachments, recursive: true);
        }
    }
}

public sealed class InboundTests(InboundFixture fixture) : IClassFixture<InboundFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static JsonObject Item(string maHoSo, string agency, string? chuHoSo = "Nguyễn Văn An") => new()
    {
        ["MaHoSo"] = maHoSo,
        ["MaTTHC"] = "1.001234.000.00.00.H56",
        ["TenTTHC"] = "Đăng ký khai sinh",
        ["DonViXuLy"] = agency,
        ["ChuHoSo"] = chuHoSo,
        ["LoaiDoiTuong"] = "1",
        ["SoGiayToChuHoSo"] = "038085000123",
        ["NgayTiepNhan"] = "20261120083000",
        ["TaiLieuNop"] = new JsonArray(new JsonObject { ["TepDinhKemId"] = "1", ["TenTepDinhKem"] = "To khai.pdf", ["DuongDanTaiTepTin"] = "/files/x/1" }),
        ["DanhSachLePhi"] = new JsonArray(new JsonObject { ["TenPhiLePhi"] = "Lệ phí", ["Gia"] = "0" }),
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> PushAsync(string? key, params JsonNode[] items)
    {
        using var http = fixture.Hub.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dvcqg/v1/ho-so")
        {
            Content = new StringContent(new JsonObject { ["data"] = new JsonArray(items) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject());
    }

    private InboundService.InboundServiceClient Client(string key) => new(fixture.Hub.Grpc.WithApiKey(key));

    /// <summary>Reads <paramref name="count"/> messages from a fresh subscription, then ends it (a disconnect).</summary>
    private async Task<List<InboundMessage>> ReceiveAsync(string key, string agency, int count)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(Wait);
        using var call = Client(key).Subscribe(new SubscribeRequest { Agencies = { agency } }, cancellationToken: cts.Token);
        var received = new List<InboundMessage>();
        while (received.Count < count && await call.ResponseStream.MoveNext(cts.Token))
        {
            received.Add(call.ResponseStream.Current);
        }

        return received;
    }

    private async Task<IReadOnlyList<InboundMessage>> FetchAsync(string key, string agency) =>
        (await Client(key).FetchAsync(new FetchRequest { Agencies = { agency }, MaxMessages = 500 }, cancellationToken: Ct)).Messages;

    [Fact]
    public async Task Push_answers_each_item_after_Kafka_and_an_item_sent_again_is_a_duplicate()
    {
        var bad = Item("000.00.01.H56-261120-0902", InboundFixture.AgencyOne, chuHoSo: null);
        bad["NgayTiepNhan"] = "20/11/2026";
        var (status, body) = await PushAsync(InboundFixture.PortalKey,
            Item("000.00.01.H56-261120-0901", InboundFixture.AgencyOne), bad, Item("000.00.02.H56-261120-0901", InboundFixture.AgencyTwo));

        status.ShouldBe(HttpStatusCode.OK);
        body["error_code"]!.GetValue<string>().ShouldBe("0");
        var result = body["result"]!.AsArray();
        result.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["accepted", "invalid", "accepted"]);
        result[1]!["MaHoSo"]!.GetValue<string>().ShouldBe("000.00.01.H56-261120-0902");
        var error = result[1]!["error"]!.GetValue<string>();
        error.ShouldContain("ChuHoSo: required");
        error.ShouldContain("NgayTiepNhan: must be yyyyMMddHHmmss");
        error.ShouldNotContain("20/11/2026", customMessage: "errors name the field and rule, never the value");

        var (_, again) = await PushAsync(InboundFixture.PortalKey, Item("000.00.01.H56-261120-0901", InboundFixture.AgencyOne));
        again["result"]!.AsArray().Single()!["status"]!.GetValue<string>().ShouldBe("duplicate");
    }

    [Fact]
    public async Task Every_topic_the_hub_made_on_its_cluster_has_a_topic_spec()
    {
        // The inbound log and its state topics are written by a push; the rest exist from the start.
        var (status, _) = await PushAsync(InboundFixture.PortalKey, Item("000.00.01.H56-261120-0951", InboundFixture.AgencyOne));
        status.ShouldBe(HttpStatusCode.OK);

        var cluster = fixture.Hub.Services.GetRequiredService<KafkaCluster>();
        var topics = fixture.Hub.Services.GetRequiredService<KafkaTopics>();
        cluster.IsEmbedded.ShouldBeTrue("the hub's own in-memory cluster: every topic on it is the hub's");
        using var admin = new AdminClientBuilder(new AdminClientConfig(cluster.ClientConfig())).Build();
        var made = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).Where(t => !t.StartsWith("__", StringComparison.Ordinal)).ToList();

        made.ShouldContain(topics.DossierEvents);
        made.ShouldContain(topics.DeliveryState);
        made.ShouldContain(topics.Inbound);
        made.ShouldContain(topics.Evidence);
        made.Except(topics.Specs.Select(s => s.Name)).ShouldBeEmpty("topics without a spec in KafkaTopics.Specs (kafka topics would not create them)");
    }

    [Fact]
    public async Task Push_needs_the_inbound_right_and_the_portal_client_may_not_subscribe()
    {
        (await PushAsync(null, Item("000.00.01.H56-261120-0911", InboundFixture.AgencyOne))).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await PushAsync("onestop-limited-key", Item("000.00.01.H56-261120-0911", InboundFixture.AgencyOne))).Status.ShouldBe(HttpStatusCode.Forbidden);

        var ex = await Should.ThrowAsync<RpcException>(() => ReceiveAsync(InboundFixture.PortalKey, InboundFixture.AgencyOne, 1));
        ex.StatusCode.ShouldBe(StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task A_subscriber_gets_only_its_own_agency_in_order_and_after_reconnecting_only_what_it_had_not_acknowledged()
    {
        var mine = Enumerable.Range(1, 4).Select(i => $"000.00.01.H56-261121-{i:D4}").ToList();
        var (_, pushed) = await PushAsync(InboundFixture.PortalKey,
            [.. mine.Select(m => (JsonNode)Item(m, InboundFixture.AgencyOne)), Item("000.00.02.H56-261121-0001", InboundFixture.AgencyTwo)]);
        pushed["result"]!.AsArray().ShouldAllBe(r => r!["status"]!.GetValue<string>() == "accepted");

        // The agency's stream holds other tests' dossiers too: read until this test's four have come, in push order.
        var first = (await Eventually.Until(
            () => FetchAsync(InboundFixture.AgencyOneKey, InboundFixture.AgencyOne),
            r => mine.All(m => r.Any(x => x.Dossier.MaHoSo == m)),
            "agency one's subscriber receives the pushed dossiers", Wait)).ToList();
        first.ShouldAllBe(m => m.Agency == InboundFixture.AgencyOne && m.Dossier.DonViXuLy == InboundFixture.AgencyOne);
        first.Where(m => mine.Contains(m.Dossier.MaHoSo)).Select(m => m.Dossier.MaHoSo).ShouldBe(mine);

        var ackedCodes = first.Where(m => !mine.Skip(2).Contains(m.Dossier.MaHoSo)).ToList();
        var ack = await Client(InboundFixture.AgencyOneKey).AckAsync(new AckRequest { DeliveryIds = { ackedCodes.Select(m => m.DeliveryId) } }, cancellationToken: Ct);
        ack.Acknowledged.ShouldBe(ackedCodes.Count);

        var again = await ReceiveAsync(InboundFixture.AgencyOneKey, InboundFixture.AgencyOne, 2);
        again.Select(m => m.Dossier.MaHoSo).ShouldBe(mine.Skip(2));
        again.Select(m => m.DeliveryId).ShouldBe(first.Where(m => mine.Skip(2).Contains(m.Dossier.MaHoSo)).Select(m => m.DeliveryId), "a redelivery keeps its delivery id");

        var denied = await Should.ThrowAsync<RpcException>(() => ReceiveAsync(InboundFixture.AgencyOneKey, InboundFixture.AgencyTwo, 1));
        denied.StatusCode.ShouldBe(StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task Dossiers_submitted_online_are_pulled_with_their_files_stored_by_digest_and_the_cursor_is_persisted()
    {
        var submitted = Enumerable.Range(0, 3).Select(_ => fixture.Systems.Destinations.Portal.SubmitOnline(InboundFixture.PulledA)).ToList();

        var received = await Eventually.Until(
            () => FetchAsync(ClientCalls.DemoKey, InboundFixture.PulledA),
            r => r.Count == submitted.Count,
            "the pulled dossiers reach a subscriber", Wait);

        received.Select(m => m.Dossier.MaHoSo).Order().ShouldBe(submitted.Select(s => s.MaHoSo).Order());
        received.ShouldAllBe(m => m.Source == "pull" && m.Kind == "dossier");
        var store = fixture.Hub.Services.GetRequiredService<IAttachmentStore>();
        foreach (var doc in received.SelectMany(m => m.Dossier.TaiLieuNop))
        {
            var expected = PortalMock.FileContent(doc.DuongDanTaiTepTin);
            doc.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(expected)));
            await using var stored = (await store.OpenAsync(doc.Sha256, Ct))!;
            using var copy = new MemoryStream();
            await stored.CopyToAsync(copy, Ct);
            copy.ToArray().ShouldBe(expected);
        }

        fixture.Hub.Services.GetRequiredService<InboundPuller>().Cursor(InboundFixture.PulledA).ShouldNotBeNull();

        // The subscriber fetches a file through the hub by the message's delivery id and the file's digest.
        var message = received[0];
        var file = message.Dossier.TaiLieuNop[0];
        using var download = Client(ClientCalls.DemoKey).GetAttachment(new GetAttachmentRequest { DeliveryId = message.DeliveryId, Sha256 = file.Sha256 }, cancellationToken: Ct);
        var chunks = new List<AttachmentChunk>();
        await foreach (var chunk in download.ResponseStream.ReadAllAsync(Ct))
        {
            chunks.Add(chunk);
        }

        chunks.SelectMany(c => c.Data.ToByteArray()).ToArray().ShouldBe(PortalMock.FileContent(file.DuongDanTaiTepTin));
        chunks[0].TenTepDinhKem.ShouldBe(file.TenTepDinhKem);
        chunks[0].SizeBytes.ShouldBe(file.SizeBytes);

        async Task<StatusCode> RefusedAsync(string key, string deliveryId, string sha256)
        {
            using var call = Client(key).GetAttachment(new GetAttachmentRequest { DeliveryId = deliveryId, Sha256 = sha256 }, cancellationToken: Ct);
            var e = await Should.ThrowAsync<RpcException>(async () => await call.ResponseStream.MoveNext(Ct));
            return e.StatusCode;
        }

        (await RefusedAsync(InboundFixture.AgencyOneKey, message.DeliveryId, file.Sha256)).ShouldBe(StatusCode.PermissionDenied, "only the agency's owner may fetch its files");
        (await RefusedAsync(ClientCalls.DemoKey, message.DeliveryId, new string('0', 64))).ShouldBe(StatusCode.NotFound, "only files the message carries");
        (await RefusedAsync(ClientCalls.DemoKey, message.DeliveryId, "not-a-digest")).ShouldBe(StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task While_the_portal_is_down_the_pull_backs_off_and_the_next_run_after_it_returns_covers_the_gap()
    {
        var portal = fixture.Systems.Destinations.Portal;
        portal.Faults.Status5xx = 100;
        try
        {
            var dossier = portal.SubmitOnline(InboundFixture.PulledB);
            await Eventually.True(
                () => fixture.Hub.Logs.Lines.Any(l => l.Contains($"Inbound pull for {InboundFixture.PulledB} failed", StringComparison.Ordinal)),
                "a pull fails while the portal answers 503", Wait, cancellationToken: Ct);
            portal.Faults.Status5xx = 0;

            var fetched = await Eventually.Until(
                () => Client(ClientCalls.DemoKey).FetchAsync(new FetchRequest { Agencies = { InboundFixture.PulledB }, MaxMessages = 10 }, cancellationToken: Ct).ResponseAsync,
                r => r.Messages.Any(m => m.Dossier.MaHoSo == dossier.MaHoSo),
                "the dossier submitted during the outage arrives", Wait);
            fetched.Messages.ShouldAllBe(m => m.Agency == InboundFixture.PulledB);
        }
        finally
        {
            portal.Faults.Status5xx = 0;
        }
    }

    [Fact]
    public async Task Soap_push_then_LayHoSoMoi_and_XacNhanDaNhan_deliver_each_message_until_it_is_acknowledged()
    {
        var endpoint = new Uri(fixture.Hub.HttpAddress, "/soap/inbound");
        var portal = SoapClients.Factory<Soap.IInboundSoap>(endpoint, InboundFixture.PortalKey);
        var system = SoapClients.Factory<Soap.IInboundSoap>(endpoint, ClientCalls.DemoKey);
        try
        {
            var push = await portal.CreateChannel().NhanHoSo(new Soap.NhanHoSoRequest
            {
                Data =
                [
                    new Soap.HoSoMC
                    {
                        MaHoSo = "000.00.05.H56-261122-0001", MaTTHC = "1.001234.000.00.00.H56", DonViXuLy = "000.00.05.H56", ChuHoSo = "Trần Thị Bình",
                        LoaiDoiTuong = "1", SoGiayToChuHoSo = "038185000456", NgayTiepNhan = "20261122090000",
                        TaiLieuNop = [new Soap.TepHoSo { TenTepDinhKem = "Don.pdf", Base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("%PDF inline")) }],
                    },
                    new Soap.HoSoMC { MaHoSo = "000.00.05.H56-261122-0002", DonViXuLy = "000.00.05.H56" },
                ],
            });
            push.Result.Select(r => r.Status).ShouldBe(["accepted", "invalid"]);
            push.Result[1].Error.ShouldNotBeNull().ShouldContain("MaTTHC: required");

            var channel = system.CreateChannel();
            var batch = await Eventually.Until(
                () => channel.LayHoSoMoi(new Soap.LayHoSoMoiRequest { DonViXuLy = ["000.00.05.H56"], SoLuongToiDa = 10 }),
                r => r.Messages.Count == 1, "LayHoSoMoi returns the pushed dossier", Wait);
            var message = batch.Messages.Single();
            message.HoSo!.MaHoSo.ShouldBe("000.00.05.H56-261122-0001");
            message.HoSo.TaiLieuNop.Single().Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("%PDF inline"))));

            (await channel.LayHoSoMoi(new Soap.LayHoSoMoiRequest { DonViXuLy = ["000.00.05.H56"], SoLuongToiDa = 10 })).Messages.Single().DeliveryId.ShouldBe(message.DeliveryId);
            (await channel.XacNhanDaNhan(new Soap.XacNhanDaNhanRequest { DeliveryIds = [message.DeliveryId] })).Acknowledged.ShouldBe(1);
            (await channel.LayHoSoMoi(new Soap.LayHoSoMoiRequest { DonViXuLy = ["000.00.05.H56"], SoLuongToiDa = 10 })).Messages.ShouldBeEmpty();
        }
        finally
        {
            portal.Close();
            system.Close();
        }
    }

    [Fact]
    public async Task Events_for_a_dossier_submitted_on_the_portal_are_reported_back_with_DongBoTrangThaiHoSo_not_synced_as_a_new_dossier()
    {
        var portal = fixture.Systems.Destinations.Portal;
        var online = portal.SubmitOnline("000.00.06.H56");
        var dossiers = new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey());
        var published = DossierRoutingTests.Event(online.MaHoSo, 4, $"status-back-{online.MaHoSo}");
        published.DonViXuLy = "000.00.06.H56";
        published.TuDvcqg = true;

        await dossiers.PublishEventAsync(published, cancellationToken: Ct);

        await Eventually.True(() => portal.FindOnline(online.MaHoSo)!.StatusPushes.Count == 1, "the portal receives DongBoTrangThaiHoSo", Wait, cancellationToken: Ct);
        var pushed = JsonNode.Parse(portal.FindOnline(online.MaHoSo)!.StatusPushes.Single())!.AsObject();
        pushed["MaHoSo"]!.GetValue<string>().ShouldBe(online.MaHoSo);
        pushed["TrangThai"]!.GetValue<string>().ShouldBe("4");
        pushed["NgayXuLy"]!.GetValue<string>().Length.ShouldBe(14);
        portal.SideEffectsFor(online.MaHoSo).Select(e => e.Operation).ShouldBe(["DongBoTrangThaiHoSo"]);
        portal.FindDossier(online.MaHoSo).ShouldBeNull("a dossier of the portal is not synced back as a dossier of the province");
    }

    [Fact]
    public async Task Postal_tracking_of_a_result_sent_by_post_reaches_the_dossiers_agency_as_postal_tracking_messages()
    {
        const string agency = "000.00.07.H56";
        const string maHoSo = "000.00.07.H56-261125-0001";
        var postal = fixture.Systems.Destinations.Postal;
        var dossiers = new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey());
        var result = DossierRoutingTests.Event(maHoSo, 9, $"postal-{maHoSo}", hinhThuc: 1);
        result.DonViXuLy = agency;
        await dossiers.PublishEventAsync(result, cancellationToken: Ct);
        await Eventually.True(() => postal.FindOrder(maHoSo) is not null, "the postal order is created", Wait, cancellationToken: Ct);
        postal.AdvanceTracking();
        postal.AdvanceTracking();

        var messages = await Eventually.Until(
            () => FetchAsync(ClientCalls.DemoKey, agency),
            r => r.Count(m => m.Kind == "postal_tracking" && m.PostalTracking.MaHoSo == maHoSo) == 3,
            "created, picked up and in transit reach the agency", Wait);

        var tracking = messages.Where(m => m.Kind == "postal_tracking").Select(m => m.PostalTracking).ToList();
        tracking.Select(t => t.Stage).ShouldBe(["created", "picked_up", "in_transit"]);
        tracking.ShouldAllBe(t => t.PostOffice.Length > 0 && t.EventTime.Length > 0);
        messages.ShouldAllBe(m => m.Agency == agency && m.Source == "postal");

        // The same entries show in the dossier's trail (admin API, and so the REST and CLI trail), after its events.
        postal.AdvanceTracking();
        var admin = new AdminService.AdminServiceClient(fixture.Hub.Grpc.WithApiKey());
        var trail = await Eventually.Until(
            () => admin.GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = maHoSo }, cancellationToken: Ct).ResponseAsync,
            t => t.PostalTracking.Count == 4, "the trail lists the four tracking entries", Wait);
        trail.Events.Select(e => e.TrangThaiHoSo).ShouldBe([9]);
        trail.PostalTracking.Select(t => t.Stage).ShouldBe(["created", "picked_up", "in_transit", "delivered"]);
        trail.PostalTracking.Select(t => t.TrackingId).ShouldBeInOrder();
        foreach (var t in trail.PostalTracking)
        {
            t.PostOffice.ShouldNotBeNullOrEmpty();
            DateTimeOffset.TryParse(t.EventTime, System.Globalization.CultureInfo.InvariantCulture, out var _).ShouldBeTrue(t.EventTime);
        }
    }
}
