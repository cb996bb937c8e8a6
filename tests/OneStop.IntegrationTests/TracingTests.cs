using System.Diagnostics;
using System.Text;
using Grpc.Core;
using OneStop.Grpc.V1;
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

        var spans = fixture.Spans.Snapshot().Skip(before).ToList();
        spans.Count.ShouldBeGreaterThan(500, "the run was traced");
        spans.ShouldContain(s => s.Source.Name == "System.Net.Http", "upstream HTTP calls were traced");
        var texts = spans.SelectMany(s => new[] { s.DisplayName, s.StatusDescription ?? "" }
            .Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(s.Events.SelectMany(ev => ev.Tags.Select(t => $"{ev.Name}:{t.Key}={t.Value}").Append(ev.Name)))
            .Concat(s.Baggage.Select(b => $"{b.Key}={b.Value}"))
            .Select(text => (Span: s.DisplayName, Text: text)));
        var leaks = texts.SelectMany(t => needles.Where(n => t.Text.Contains(n, StringComparison.Ordinal)).Select(n => $"{n} in span '{t.Span}': {t.Text}"))
            .Distinct().Take(10).ToList();
        leaks.ShouldBeEmpty();
    }
}
