using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OneStop.Grpc.V1;
using OneStop.Hub.Inbound;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>Spans of the running hub, collected with OpenTelemetry's in-memory exporter.</summary>
[Collection(OperatorCollection.Name)]
public sealed class TracingTests(OperatorFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string? Tag(Activity a, string key) => a.GetTagItem(key)?.ToString();

    [Fact]
    public async Task A_publish_and_its_deliveries_form_one_trace_across_Kafka()
    {
        var maHoSo = TestDossierEvents.NewMaHoSo();
        var reply = await new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey())
            .PublishEventAsync(DossierRoutingTests.Event(maHoSo, 2, $"{maHoSo}/trace"), cancellationToken: Ct);

        // Both deliveries' spans end after their side effects; wait for the HTTP call to EMC's fake as well.
        Activity? alpha = null, emc = null;
        await Eventually.True(() =>
        {
            var spans = fixture.Spans.Snapshot();
            alpha = spans.FirstOrDefault(s => s.DisplayName == "deliver alpha" && Tag(s, "onestop.event_id") == reply.EventId);
            emc = spans.FirstOrDefault(s => s.DisplayName == "deliver emc" && Tag(s, "onestop.event_id") == reply.EventId && s.Status != ActivityStatusCode.Error);
            // A consume span ends after its delivery span (it also waits for the state write and evidence).
            return alpha is not null && emc is not null
                && spans.Any(s => s.SpanId == alpha.ParentSpanId) && spans.Any(s => s.SpanId == emc.ParentSpanId);
        }, "delivery spans for alpha and emc, and the consume spans around them", Wait, cancellationToken: Ct);

        alpha!.TraceId.ShouldBe(emc!.TraceId, "both deliveries continue the publish's trace");
        var trace = fixture.Spans.Snapshot().Where(s => s.TraceId == alpha.TraceId).ToList();
        Activity Parent(Activity child) => trace.Single(s => s.SpanId == child.ParentSpanId);

        // The fakes in this process serve (and trace) too, and the test's own gRPC client call is traced by the
        // process-wide HttpClient instrumentation: the hub's incoming call is the server span of PublishEvent.
        var server = trace.Single(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("DossierService/PublishEvent", StringComparison.Ordinal));

        var publish = trace.Single(s => s.Kind == ActivityKind.Producer && Tag(s, "messaging.destination.name")!.EndsWith("dossier-events", StringComparison.Ordinal));
        Parent(publish).ShouldBe(server);

        foreach (var delivery in new[] { alpha, emc })
        {
            var consume = Parent(delivery);
            consume.Kind.ShouldBe(ActivityKind.Consumer);
            consume.DisplayName.ShouldEndWith("dossier-events process");
            Tag(consume, "onestop.destination").ShouldBe(Tag(delivery, "onestop.destination"));
            consume.ParentSpanId.ShouldBe(publish.SpanId, "the consumer continues the producer's context from the record headers");
        }

        // EMC: the mapping, then the destination call through the adapter, then HttpClient's own span.
        var children = trace.Where(s => s.ParentSpanId == emc.SpanId).ToList();
        children.ShouldContain(s => s.DisplayName.StartsWith("mapping emc.request@", StringComparison.Ordinal));
        var upstream = children.Single(s => s.DisplayName == "upstream emc");
        trace.ShouldContain(s => s.ParentSpanId == upstream.SpanId && s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http");

        // Evidence: of the publish (in the incoming call) and of each delivery attempt.
        trace.ShouldContain(s => s.DisplayName == "evidence write" && Tag(s, "onestop.operation") == "DossierService/PublishEvent");
        trace.Where(s => s.DisplayName == "evidence write" && Tag(s, "onestop.operation") == "Delivery/emc").Select(Parent).ShouldContain(emc);
    }

    [Fact]
    public async Task A_lookup_is_one_trace_with_mapping_upstream_and_http_spans()
    {
        var lookup = new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey());
        var reply = await lookup.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        var requestId = reply.Meta.MaYeuCau;

        Activity? server = null;
        List<Activity> trace = [];
        await Eventually.True(() =>
        {
            var spans = fixture.Spans.Snapshot();
            server = spans.LastOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("LookupService/GetEnterprise", StringComparison.Ordinal));
            trace = server is null ? [] : [.. spans.Where(s => s.TraceId == server.TraceId)];
            return trace.Any(s => s.DisplayName == "evidence write");
        }, "the lookup's spans", Wait, cancellationToken: Ct);

        requestId.ShouldNotBeNullOrEmpty();
        trace.ShouldContain(s => s.DisplayName.StartsWith("mapping business.request@", StringComparison.Ordinal));
        trace.ShouldContain(s => s.DisplayName.StartsWith("mapping business.reply@", StringComparison.Ordinal));
        var upstream = trace.Single(s => s.DisplayName == "upstream business");
        trace.ShouldContain(s => s.ParentSpanId == upstream.SpanId && s.Source.Name == "System.Net.Http");
    }

    [Fact]
    public async Task An_inbound_pull_run_is_a_span_with_its_portal_calls_and_evidence_as_children()
    {
        // An agency of its own, so the run lists exactly the dossier submitted here.
        const string agency = "000.00.71.H56";
        var online = fixture.Systems.Destinations.Portal.SubmitOnline(agency);

        // The run the Quartz job makes for an agency of Inbound:Agencies, called directly so the test knows when it ends.
        var outcome = await fixture.Hub.Services.GetRequiredService<InboundPuller>().RunAsync(agency, Ct);
        outcome.Result.ShouldBe(PullOutcome.Done, outcome.Error);
        outcome.Accepted.ShouldBe(1);

        Activity? pull = null;
        await Eventually.True(() =>
        {
            pull = fixture.Spans.Snapshot().SingleOrDefault(s => s.DisplayName == "inbound pull" && Tag(s, "onestop.agency") == agency);
            return pull is not null;
        }, "the pull run's span", Wait, cancellationToken: Ct);

        Tag(pull!, "onestop.outcome").ShouldBe(PullOutcome.Done);
        Tag(pull!, "onestop.inbound.accepted").ShouldBe("1");
        pull!.Status.ShouldNotBe(ActivityStatusCode.Error);
        var trace = fixture.Spans.Snapshot().Where(s => s.TraceId == pull.TraceId).ToList();
        var portal = trace.Where(s => s.ParentSpanId == pull.SpanId && s.DisplayName == "upstream portal").ToList();
        // DanhSachHoSo, TraCuuHoSo for the new dossier, LayTaiLieuHoSo for each of its two files.
        portal.Count.ShouldBeGreaterThanOrEqualTo(4, string.Join(", ", trace.Select(s => s.DisplayName)));
        foreach (var call in portal)
        {
            trace.ShouldContain(s => s.ParentSpanId == call.SpanId && s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http",
                "each portal call has HttpClient's span under it");
        }

        trace.ShouldContain(s => s.ParentSpanId == pull.SpanId && s.DisplayName == "evidence write" && Tag(s, "onestop.operation") == InboundPuller.Operation);
        trace.ShouldNotContain(s => s.DisplayName.Contains(online.MaHoSo, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_identifier_name_address_or_phone_appears_in_span_names_or_attributes()
    {
        var data = SyntheticDataset.Default;
        var client = new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey());
        var before = fixture.Spans.Count;

        async Task Call(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (RpcException)
            {
                // Refusals and not-found are part of the run: their spans must be as clean as the others.
            }
        }

        foreach (var c in data.Citizens.Take(40))
        {
            await Call(() => client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = c.SoDinhDanh, HoVaTen = c.HoVaTen, NgayThangNamSinh = c.NgaySinh.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: Ct).ResponseAsync);
            await Call(() => client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = c.SoDinhDanh + "7", HoVaTen = c.HoVaTen }, cancellationToken: Ct).ResponseAsync);
            await Call(() => client.GetInsuranceAsync(new GetInsuranceRequest { SoDinhDanh = c.SoDinhDanh }, cancellationToken: Ct).ResponseAsync);
        }

        foreach (var b in data.Businesses.Take(20))
        {
            await Call(() => client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = b.MaSoDoanhNghiep }, cancellationToken: Ct).ResponseAsync);
        }

        foreach (var r in data.InsuranceRecords.Take(20))
        {
            await Call(() => client.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = r.MaSoBHXH }, cancellationToken: Ct).ResponseAsync);
        }

        foreach (var p in data.LandParcels.Take(20))
        {
            await Call(() => client.GetLandParcelAsync(new GetLandParcelRequest { MaPhuongXa = p.MaPhuongXa, SoHieuBanDo = p.SoHieuBanDo, SoThuTuThua = p.SoThuTuThua }, cancellationToken: Ct).ResponseAsync);
        }

        using var http = fixture.Hub.CreateHttpClient();
        foreach (var c in data.Citizens.Take(10))
        {
            using var content = new StringContent(
                $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><VerifyCitizen xmlns=\"http://onestop.lgsp/lookup/v1\"><request><SoDinhDanh>{c.SoDinhDanh}</SoDinhDanh><HoVaTen>{c.HoVaTen}</HoVaTen></request></VerifyCitizen></s:Body></s:Envelope>",
                Encoding.UTF8, "text/xml");
            content.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/VerifyCitizen\"");
            content.Headers.Add("x-api-key", ClientCalls.DemoKey);
            using var response = await http.PostAsync(new Uri("/soap/lookup", UriKind.Relative), content, Ct);
        }

        // The same lookups as JSON over HTTP (/api/v1), identifiers in the route and in the body (the test's own client
        // spans hold the URL by design and are left out of the scan below).
        foreach (var c in data.Citizens.Take(10))
        {
            await Rest(http, HttpMethod.Get, $"/api/v1/cong-dan/{c.SoDinhDanh}", null);
            await Rest(http, HttpMethod.Post, "/api/v1/cong-dan/xac-thuc", new JsonObject { ["so_dinh_danh"] = c.SoDinhDanh, ["ho_va_ten"] = c.HoVaTen });
            await Rest(http, HttpMethod.Get, $"/api/v1/cong-dan/{c.SoDinhDanh}/bao-hiem-xa-hoi", null);
        }

        foreach (var b in data.Businesses.Take(5))
        {
            await Rest(http, HttpMethod.Get, $"/api/v1/doanh-nghiep/{b.MaSoDoanhNghiep}", null);
        }

        foreach (var r in data.InsuranceRecords.Take(5))
        {
            await Rest(http, HttpMethod.Get, $"/api/v1/bao-hiem-xa-hoi/{r.MaSoBHXH}", null);
        }

        // The portal's push of a dossier carrying its owner's name, ID and phone (JSON, then SOAP).
        var pushed = InboundTests.Item($"000.00.72.H56-261120-{Random.Shared.Next(1000, 5000)}", "000.00.72.H56");
        pushed["SoDienThoai"] = "0912345678";
        await Rest(http, HttpMethod.Post, "/api/dvcqg/v1/ho-so", new JsonObject { ["data"] = new JsonArray(pushed) });
        using var soapPush = new StringContent(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><NhanHoSo xmlns=\"http://onestop.lgsp/inbound/v1\"><request><Data><HoSoMC>"
            + $"<MaHoSo>000.00.72.H56-261120-{Random.Shared.Next(5000, 10000)}</MaHoSo><MaTTHC>1.001234.000.00.00.H56</MaTTHC><ChuHoSo>Nguyễn Văn An</ChuHoSo>"
            + "<LoaiDoiTuong>1</LoaiDoiTuong><SoDienThoai>0912345678</SoDienThoai><NgayTiepNhan>20261120083000</NgayTiepNhan><DonViXuLy>000.00.72.H56</DonViXuLy>"
            + "<SoGiayToChuHoSo>038085000123</SoGiayToChuHoSo></HoSoMC></Data></request></NhanHoSo></s:Body></s:Envelope>",
            Encoding.UTF8, "text/xml");
        soapPush.Headers.Add("SOAPAction", "\"http://onestop.lgsp/inbound/v1/InboundService/NhanHoSo\"");
        soapPush.Headers.Add("x-api-key", ClientCalls.DemoKey);
        using var soapReply = await http.PostAsync(new Uri("/soap/inbound", UriKind.Relative), soapPush, Ct);
        var soapText = await soapReply.Content.ReadAsStringAsync(Ct);
        soapText.ShouldContain("<Status>accepted</Status>", Case.Sensitive, soapText);

        // A dossier with its owner's name, ID, phone and address goes through Kafka to every destination.
        var maHoSo = TestDossierEvents.NewMaHoSo();
        var e = DossierRoutingTests.Event(maHoSo, 9, $"{maHoSo}/pii", hinhThuc: 1);
        e.SoGiayToChuHoSo = "038085000123";
        var published = await new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey()).PublishEventAsync(e, cancellationToken: Ct);
        await Eventually.True(() => fixture.Spans.Snapshot().Any(s => s.DisplayName == "deliver postal" && Tag(s, "onestop.event_id") == published.EventId),
            "the dossier's delivery to the postal fake is traced", Wait, cancellationToken: Ct);

        var needles = new HashSet<string>(StringComparer.Ordinal) { "Nguyễn Văn An", "0912345678", "Số 12 Lê Lợi", "038085000123" };
        foreach (var c in data.Citizens.Take(40))
        {
            needles.Add(c.SoDinhDanh);
            needles.Add(c.HoVaTen);
            needles.Add(c.ThuongTru.ChiTiet);
        }

        foreach (var b in data.Businesses.Take(20))
        {
            needles.Add(b.MaSoDoanhNghiep);
        }

        foreach (var r in data.InsuranceRecords.Take(20))
        {
            needles.Add(r.MaSoBHXH);
        }

        foreach (var p in data.LandParcels.Take(20))
        {
            needles.Add(p.DiaChiChiTiet);
        }

        // Every span of the run except the calls test code makes: the in-memory exporter sees the whole test process, where
        // other classes' clients (REST routes with an identifier in the path, by design) run alongside. Those are
        // HttpClient spans with no parent; every HTTP call the hub makes is under its 'upstream …' span.
        var spans = fixture.Spans.Snapshot().Skip(before)
            .Where(s => !(s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client && s.ParentSpanId == default))
            .ToList();
        spans.ShouldContain(s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("GET /api/v1/cong-dan/", StringComparison.Ordinal), "REST calls were traced");
        spans.ShouldContain(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/dvcqg/v1/ho-so", StringComparison.Ordinal), "the JSON push was traced");
        spans.ShouldContain(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/soap/inbound", StringComparison.Ordinal), "the SOAP push was traced");
        spans.Count.ShouldBeGreaterThan(500, "the run was traced");
        spans.ShouldContain(s => s.Source.Name == "System.Net.Http" && spans.Any(u => u.SpanId == s.ParentSpanId && u.DisplayName.StartsWith("upstream ", StringComparison.Ordinal)),
            "upstream HTTP calls were traced");
        var texts = spans.SelectMany(s => new[] { s.DisplayName, s.StatusDescription ?? "" }
            .Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(s.Events.SelectMany(ev => ev.Tags.Select(t => $"{ev.Name}:{t.Key}={t.Value}").Append(ev.Name)))
            .Concat(s.Baggage.Select(b => $"{b.Key}={b.Value}"))
            .Select(text => (Span: s.DisplayName, Text: text)));
        var leaks = texts.SelectMany(t => needles.Where(n => t.Text.Contains(n, StringComparison.Ordinal)).Select(n => $"{n} in span '{t.Span}': {t.Text}"))
            .Distinct().Take(10).ToList();
        leaks.ShouldBeEmpty();
    }

    /// <summary>A JSON call as the demo client; refusals and not-found answers are part of the run.</summary>
    private static async Task Rest(HttpClient http, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("x-api-key", ClientCalls.DemoKey);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, Ct);
        ((int)response.StatusCode).ShouldBeLessThan(500, $"{method} {path}: {await response.Content.ReadAsStringAsync(Ct)}");
    }
}
