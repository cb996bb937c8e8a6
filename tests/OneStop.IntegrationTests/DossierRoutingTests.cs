using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Adapters;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>The real host with the embedded Kafka cluster and two recording destinations.</summary>
public sealed class RoutingFixture : IAsyncLifetime
{
    public RecordingDestination Alpha { get; } = new("alpha");

    /// <summary>Wants only results returned by post, like the postal operator.</summary>
    public RecordingDestination Beta { get; } = new("beta", e => e.HinhThuc == 1);

    public HubServer Hub { get; private set; } = null!;

    private TestSystems _systems = null!;

    public async ValueTask InitializeAsync()
    {
        _systems = await TestSystems.StartAsync();
        var settings = _systems.Settings();
        settings["Delivery:InitialBackoff"] = "00:00:00.050";
        settings["Delivery:MaxBackoff"] = "00:00:00.400";
        settings["Delivery:RefusalsBeforePark"] = "3";
        Hub = HubServer.Start(settings, services =>
        {
            services.AddSingleton<IDeliveryAdapter>(Alpha);
            services.AddSingleton<IDeliveryAdapter>(Beta);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await _systems.DisposeAsync();
    }
}

public sealed class DossierRoutingTests(RoutingFixture fixture) : IClassFixture<RoutingFixture>
{
    private readonly DossierService.DossierServiceClient _dossiers = new(fixture.Hub.Grpc.WithApiKey());
    private readonly AdminService.AdminServiceClient _admin = new(fixture.Hub.Grpc.WithApiKey());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static DossierEvent Event(string maHoSo, int status, string clientEventId, int hinhThuc = 0) => new()
    {
        ClientEventId = clientEventId,
        MaHoSo = maHoSo,
        MaTthc = "1.001234.000.00.00.H56",
        TenTthc = "Đăng ký khai sinh",
        TrangThaiHoSo = status,
        NgayTiepNhan = "2026-11-20T08:30:00+07:00",
        DonViXuLy = "000.00.01.H56",
        KenhThucHien = 2,
        HinhThuc = hinhThuc,
        LoaiDoiTuong = 1,
        ChuHoSo = "Nguyễn Văn An",
        DiaChiNhanKetQua = hinhThuc == 1 ? new DiaChiNhanKetQua { HoTenNguoiNhan = "Nguyễn Văn An", DiaChi = "Số 12 Lê Lợi", SoDienThoai = "0912345678", MaTinhThanh = "38", MaPhuongXa = "16012" } : null,
    };

    /// <summary>How long a delivery may take to show before a test fails: generous, since these are waits, not timings.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Publish_answers_with_a_stable_event_id_and_a_republished_event_is_harmless()
    {
        var e = Event("000.00.01.H56-261120-0101", 2, "dup-1");
        var first = await _dossiers.PublishEventAsync(e, cancellationToken: Ct);
        var again = await _dossiers.PublishEventAsync(e, cancellationToken: Ct);

        first.EventId.Length.ShouldBe(32);
        again.EventId.ShouldBe(first.EventId);
        again.Duplicate.ShouldBeTrue();
        await Eventually.True(() => fixture.Alpha.For(e.MaHoSo).Count == 1, "alpha receives the event", Wait, cancellationToken: Ct);
        await Task.Delay(500, Ct);
        fixture.Alpha.For(e.MaHoSo).Count.ShouldBe(1, "the republished event must not be delivered twice");
    }

    [Theory]
    [InlineData("ma_ho_so", "H56-2611-1")]
    [InlineData("trang_thai_ho_so", null)]
    [InlineData("dia_chi_nhan_ket_qua", "post")]
    [InlineData("dia_chi_nhan_ket_qua.so_dien_thoai", "phone")]
    [InlineData("loai_doi_tuong", null)]
    [InlineData("ngay_tiep_nhan", "time")]
    public async Task Invalid_event_is_refused_with_InvalidArgument_naming_the_field(string field, string? variant)
    {
        var e = Event("000.00.01.H56-261120-0102", 2, $"bad-{field}");
        switch (field)
        {
            case "ma_ho_so": e.MaHoSo = variant; break;
            case "trang_thai_ho_so": e.TrangThaiHoSo = 11; break;
            case "dia_chi_nhan_ket_qua": e.HinhThuc = 1; e.TrangThaiHoSo = 9; e.DiaChiNhanKetQua = null; break;
            case "dia_chi_nhan_ket_qua.so_dien_thoai": e.HinhThuc = 1; e.TrangThaiHoSo = 9; e.DiaChiNhanKetQua = new DiaChiNhanKetQua { HoTenNguoiNhan = "An", DiaChi = "12 Lê Lợi", MaTinhThanh = "38" }; break;
            case "loai_doi_tuong": e.LoaiDoiTuong = 0; break;
            case "ngay_tiep_nhan": e.NgayTiepNhan = "20/11/2026"; break;
        }

        var ex = await Should.ThrowAsync<RpcException>(() => _dossiers.PublishEventAsync(e, cancellationToken: Ct).ResponseAsync);
        ex.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        ex.Status.Detail.ShouldStartWith($"{field}: ");
    }

    [Fact]
    public async Task Each_dossiers_events_reach_a_destination_in_the_order_published_and_routing_filters_apply()
    {
        var dossiers = Enumerable.Range(0, 20).Select(i => $"000.00.01.H56-261121-{i:0000}").ToList();
        int[] statuses = [1, 2, 4, 9, 10];
        using var call = _dossiers.PublishEvents(cancellationToken: Ct);
        foreach (var status in statuses)
        {
            foreach (var (m, i) in dossiers.Select((m, i) => (m, i)))
            {
                await call.RequestStream.WriteAsync(Event(m, status, $"{m}/{status}", hinhThuc: i % 2), Ct);
            }
        }

        await call.RequestStream.CompleteAsync();
        var replies = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync(Ct))
        {
            replies++;
        }

        replies.ShouldBe(dossiers.Count * statuses.Length);
        await Eventually.True(() => dossiers.All(m => fixture.Alpha.For(m).Count == statuses.Length), "alpha receives every event", Wait, cancellationToken: Ct);
        // Beta's deliveries run on their own consumer: wait for its odd dossiers too before comparing.
        await Eventually.True(() => dossiers.Where((_, i) => i % 2 == 1).All(m => fixture.Beta.For(m).Count >= statuses.Length), "beta receives every result by post", Wait, cancellationToken: Ct);
        foreach (var (m, i) in dossiers.Select((m, i) => (m, i)))
        {
            fixture.Alpha.For(m).Select(e => e.TrangThaiHoSo).ShouldBe(statuses, $"order of {m} at alpha");
            fixture.Beta.For(m).Count.ShouldBe(i % 2 == 1 ? statuses.Length : 0, $"beta wants only results by post ({m})");
        }

        // The trail is exact for every dossier: DELIVERED where the destination has the side effect, NOT_APPLICABLE
        // where it does not want the event, never PENDING. The checkpoint follows the side effect, so wait for it.
        foreach (var (m, i) in dossiers.Select((m, i) => (m, i)))
        {
            var beta = i % 2 == 1 ? DeliveryState.Delivered : DeliveryState.NotApplicable;
            var trail = await Eventually.Until(
                () => _admin.GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = m }, cancellationToken: Ct).ResponseAsync,
                t => t.Events.Count == statuses.Length && t.Events.All(e =>
                    e.Deliveries.Single(d => d.Destination == "alpha").State == DeliveryState.Delivered && e.Deliveries.Single(d => d.Destination == "beta").State == beta),
                $"the trail of {m} shows every event delivered to alpha and {beta} at beta", Wait);
            trail.Events.Select(e => e.TrangThaiHoSo).ShouldBe(statuses);
        }
    }

    [Fact]
    public async Task Refused_dossier_is_parked_its_later_events_wait_others_flow_and_a_replay_delivers_them_in_order()
    {
        const string stuck = "000.00.01.H56-261122-0001";
        const string other = "000.00.01.H56-261122-0002";
        fixture.Alpha.Refuse(stuck);

        await _dossiers.PublishEventAsync(Event(stuck, 2, "park-1"), cancellationToken: Ct);
        await _dossiers.PublishEventAsync(Event(other, 2, "park-2"), cancellationToken: Ct);
        await Eventually.True(() => _admin.ListParked(new ListParkedRequest { Destination = "alpha" }, cancellationToken: Ct).Parked.Any(p => p.MaHoSo == stuck),
            "the refused dossier is parked", Wait, cancellationToken: Ct);
        await _dossiers.PublishEventAsync(Event(stuck, 4, "park-3"), cancellationToken: Ct);
        await _dossiers.PublishEventAsync(Event(stuck, 9, "park-4"), cancellationToken: Ct);
        await _dossiers.PublishEventAsync(Event(other, 4, "park-5"), cancellationToken: Ct);

        await Eventually.True(() => fixture.Alpha.For(other).Count == 2, "the other dossier keeps flowing", Wait, cancellationToken: Ct);
        await Eventually.True(() => _admin.ListParked(new ListParkedRequest { Destination = "alpha" }, cancellationToken: Ct)
            .Parked.Single(p => p.MaHoSo == stuck).EventIds.Count == 3, "later events of the parked dossier queue behind it", Wait, cancellationToken: Ct);
        fixture.Alpha.For(stuck).ShouldBeEmpty();
        var parked = (await _admin.ListParkedAsync(new ListParkedRequest { Destination = "alpha" }, cancellationToken: Ct)).Parked.Single(p => p.MaHoSo == stuck);
        parked.LastError.ShouldContain("refuses this dossier");
        var trail = await _admin.GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = stuck }, cancellationToken: Ct);
        trail.Events.ShouldAllBe(e => e.Deliveries.Single(d => d.Destination == "alpha").State == DeliveryState.Parked);

        fixture.Alpha.Accept(stuck);
        var replay = await _admin.ReplayParkedAsync(new ReplayParkedRequest { Destination = "alpha", MaHoSo = stuck }, cancellationToken: Ct);
        replay.RequestId.ShouldNotBeNullOrEmpty();
        await Eventually.True(() => fixture.Alpha.For(stuck).Count == 3, "the replay delivers the parked events", Wait, cancellationToken: Ct);
        fixture.Alpha.For(stuck).Select(e => e.TrangThaiHoSo).ShouldBe([2, 4, 9]);
        await Eventually.True(() => !_admin.ListParked(new ListParkedRequest(), cancellationToken: Ct).Parked.Any(p => p.MaHoSo == stuck), "nothing parked any more", Wait, cancellationToken: Ct);

        await _dossiers.PublishEventAsync(Event(stuck, 10, "park-6"), cancellationToken: Ct);
        await Eventually.True(() => fixture.Alpha.For(stuck).Count == 4, "after the replay the dossier flows again", Wait, cancellationToken: Ct);
    }

    [Fact]
    public async Task Soap_client_publishes_an_event_that_is_delivered_and_a_bad_one_gets_a_fault_naming_the_field()
    {
        using var factory = SoapClients.Factory<OneStop.Schemas.Soap.IDossierSoap>(new Uri(fixture.Hub.HttpAddress, "/soap/dossier"));
        var client = factory.CreateChannel();
        var e = new OneStop.Schemas.Soap.DossierEvent
        {
            ClientEventId = "soap-1", MaHoSo = "000.00.01.H56-261120-0201", MaTTHC = "1.001234.000.00.00.H56", TrangThaiHoSo = 2,
            NgayTiepNhan = "2026-11-20T08:30:00+07:00", DonViXuLy = "000.00.01.H56", KenhThucHien = 1, LoaiDoiTuong = 1,
        };

        var reply = await client.PublishEvent(e);
        reply.EventId!.Length.ShouldBe(32);
        await Eventually.True(() => fixture.Alpha.For(e.MaHoSo).Count == 1, "the SOAP-published event is delivered", Wait, cancellationToken: Ct);

        e.ClientEventId = "soap-2";
        e.TrangThaiHoSo = 0;
        var fault = await Should.ThrowAsync<System.ServiceModel.FaultException<OneStop.Schemas.Soap.LookupFault>>(() => client.PublishEvent(e));
        fault.Detail.Code.ShouldBe("INVALID_ARGUMENT");
        fault.Detail.Field.ShouldBe("TrangThaiHoSo");
    }

    [Fact]
    public async Task Metrics_count_deliveries_per_destination_and_report_lag_and_parked_dossiers()
    {
        var e = Event("000.00.01.H56-261120-0301", 2, "metrics-1");
        await _dossiers.PublishEventAsync(e, cancellationToken: Ct);
        await Eventually.True(() => fixture.Alpha.For(e.MaHoSo).Count == 1, "alpha receives the event", Wait, cancellationToken: Ct);

        using var http = fixture.Hub.CreateHttpClient();
        var metrics = await Eventually.Until(() => http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct),
            m => m.Contains("onestop_delivery_delivered", StringComparison.Ordinal) && m.Contains("onestop_delivery_lag", StringComparison.Ordinal)
                && m.Contains("onestop_delivery_parked_dossiers", StringComparison.Ordinal),
            "delivery metrics are published", Wait);
        metrics.ShouldContain("destination=\"alpha\"");
    }

    [Fact]
    public async Task Replay_of_a_dossier_with_nothing_parked_is_NotFound()
    {
        var ex = await Should.ThrowAsync<RpcException>(() => _admin.ReplayParkedAsync(
            new ReplayParkedRequest { Destination = "alpha", MaHoSo = "000.00.01.H56-261122-0999" }, cancellationToken: Ct).ResponseAsync);
        ex.StatusCode.ShouldBe(StatusCode.NotFound);
    }

    [Fact]
    public async Task Destination_down_keeps_events_retrying_not_parked_and_delivers_them_once_when_back()
    {
        var beta = fixture.Beta;
        beta.Down = true;
        var dossiers = Enumerable.Range(0, 5).Select(i => $"000.00.01.H56-261123-{i:0000}").ToList();
        foreach (var m in dossiers)
        {
            await _dossiers.PublishEventAsync(Event(m, 2, $"down-{m}", hinhThuc: 1), cancellationToken: Ct);
        }

        await Eventually.True(() => _admin.GetDossierTrail(new GetDossierTrailRequest { MaHoSo = dossiers[0] }, cancellationToken: Ct)
            .Events[0].Deliveries.Single(d => d.Destination == "beta").State == DeliveryState.Retrying, "beta shows RETRYING", Wait, cancellationToken: Ct);
        (await _admin.ListParkedAsync(new ListParkedRequest { Destination = "beta" }, cancellationToken: Ct)).Parked.ShouldBeEmpty();
        await Eventually.True(() => dossiers.All(m => fixture.Alpha.For(m).Count == 1), "alpha is not held up by beta", Wait, cancellationToken: Ct);

        beta.Down = false;
        await Eventually.True(() => dossiers.All(m => beta.For(m).Count == 1), "beta receives everything once it is back", Wait, cancellationToken: Ct);
        await Task.Delay(500, Ct);
        dossiers.ShouldAllBe(m => beta.For(m).Count == 1);
    }
}
