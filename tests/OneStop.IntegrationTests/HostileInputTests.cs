using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Google.Protobuf;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using OneStop.Hub.Soap;
using OneStop.IntegrationTests.StandardClients;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>A hub of its own for the hostile corpus, with an "attacker" client that has lookup rights.</summary>
public sealed class HostileFixture : IAsyncLifetime
{
    public const string AttackerKey = "attacker-key";

    public TestSystems Systems { get; private set; } = null!;


    public NationalMocks Mocks { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        Mocks = Systems.National;
        var settings = Systems.Settings();
        settings["Security:Clients:attacker:ApiKeyHash"] = ApiKeys.Hash(AttackerKey);
        settings["Security:Clients:attacker:Operations:0"] = "LookupService/*";
        settings["Security:Clients:attacker:Operations:1"] = "GenericLookupService/*";
        settings["Security:Clients:attacker:Operations:2"] = "DossierService/*";
        settings["Security:Clients:attacker:Operations:3"] = "InboundService/*";
        settings["Security:Clients:attacker:Agencies:0"] = "*";
        settings["Security:AnonymousRateLimit:PermitsPerPeriod"] = "100000";
        settings["Security:AnonymousRateLimit:Burst"] = "100000";
        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}

/// <summary>
/// A corpus of hostile and malformed inputs over gRPC (raw HTTP/2 frames and well-formed calls with bad values)
/// and SOAP (XXE, entity expansion, malformed XML, wrong types, sizes). Each gets a precise error; meanwhile and
/// afterwards another client keeps being served, and every exchange it made is in the evidence chain.
/// </summary>
public sealed class HostileInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private const string Lookup = "http://onestop.lgsp/lookup/v1";
    private const string VerifyPath = "/onestop.v1.LookupService/VerifyCitizen";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What came back: HTTP status, gRPC status (headers or trailers), the SOAP fault code, and the body text.</summary>
    public sealed record Outcome(int Http, StatusCode? Grpc, string? GrpcMessage, string? Fault, string Body);

    private sealed record Case(string Name, Func<Task<Outcome>> Send, Action<Outcome> Expect);

    [Fact]
    public async Task Every_hostile_input_gets_a_precise_error_and_other_clients_are_served_throughout()
    {
        using var wsdlClient = fixture.Hub.CreateHttpClient();
        var endpoints = new List<WsdlMessages>();
        foreach (var path in SoapOperations.Endpoints)
        {
            endpoints.Add(await WsdlMessages.LoadAsync(wsdlClient, path, Ct));
        }

        var soap = endpoints.SelectMany(e => SoapCases(Target.For(e), endpoints)).Concat(LookupSoapCases())
            .Concat(endpoints.SelectMany(WrongTypeCases)).ToList();
        var cases = GrpcFrameCases().Concat(GrpcValueCases()).Concat(soap).Concat(ConnectionCases()).ToList();
        soap.Select(c => c.Name.Split(' ')[0]).Distinct().ShouldBe(SoapOperations.Endpoints, ignoreOrder: true);
        cases.Count.ShouldBeGreaterThanOrEqualTo(200);
        TestContext.Current.TestOutputHelper?.WriteLine($"{cases.Count} hostile cases, {soap.Count} of them SOAP over {endpoints.Count} endpoints");

        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var bystander = Task.Run(() => Bystander(done.Token), Ct);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            try
            {
                var outcome = await c.Send();
                try
                {
                    c.Expect(outcome);
                }
                catch (ShouldAssertException e)
                {
                    failures.Add($"{c.Name}: got {outcome with { Body = outcome.Body[..Math.Min(outcome.Body.Length, 200)] }}: {e.Message.Split('\n')[0]}");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{c.Name}: threw {e.GetType().Name}: {e.Message}");
            }
        }

        await done.CancelAsync();
        var (served, refused) = await bystander;
        failures.ShouldBeEmpty();
        refused.ShouldBe(0);
        served.ShouldBeGreaterThan(0);

        // After the corpus: still serving, and every exchange of the bystander is in an intact evidence chain.
        var after = await new LookupService.LookupServiceClient(fixture.Hub.Grpc).VerifyCitizenAsync(
            new VerifyCitizenRequest { SoDinhDanh = "038085000123" }, new Metadata { { "x-api-key", "onestop-demo-key" } }, cancellationToken: Ct);
        after.CongDan.SoDinhDanh.ShouldBe("038085000123");
        var store = (IEvidenceStore)fixture.Hub.Services.GetService(typeof(IEvidenceStore))!;
        var entries = await store.ReadAllAsync(Ct);
        EvidenceChain.Verify(entries, store.Heads).Problems.ShouldBeEmpty();
        entries.Count(e => e.Client == "demo" && e.Operation == "LookupService/VerifyCitizen" && e.Outcome == "ok").ShouldBe(served + 1);
        entries.ShouldContain(e => e.Client == "anonymous" && e.Outcome == "unauthenticated");
    }

    private async Task<(int Served, int Refused)> Bystander(CancellationToken stop)
    {
        var client = new LookupService.LookupServiceClient(fixture.Hub.Grpc);
        var key = new Metadata { { "x-api-key", "onestop-demo-key" } };
        int served = 0, refused = 0;
        for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                await client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = "038085000123", HoVaTen = "Nguyễn Văn An" }, key, cancellationToken: CancellationToken.None);
                served++;
            }
            catch (RpcException)
            {
                refused++;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return (served, refused);
    }

    // ---------- gRPC: raw HTTP/2 requests with broken framing ----------

    private IEnumerable<Case> GrpcFrameCases()
    {
        var valid = new VerifyCitizenRequest { SoDinhDanh = "038085000123" }.ToByteArray();
        yield return Raw("grpc: protobuf garbage in a valid frame", Frame([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]), Grpc(StatusCode.InvalidArgument, "not a valid OneStop.Grpc.V1.VerifyCitizenRequest"));
        yield return Raw("grpc: field with a wrong wire type", Frame([0x0D, 0x01, 0x02, 0x03, 0x04]), Grpc(StatusCode.InvalidArgument));
        yield return Raw("grpc: string field with a length past the end", Frame([0x0A, 0x7F, 0x30, 0x31]), Grpc(StatusCode.InvalidArgument, "not a valid"));
        yield return Raw("grpc: string field that is not UTF-8", Frame([0x0A, 0x03, 0xC3, 0x28, 0xFF]), Grpc(StatusCode.InvalidArgument, "not a valid"));
        yield return Raw("grpc: length prefix longer than the body", [0, 0, 0, 0x03, 0xE8, .. valid], Grpc(StatusCode.Internal));
        yield return Raw("grpc: length prefix cut short", [0, 0, 0], Grpc(StatusCode.Internal));
        yield return Raw("grpc: compressed flag without grpc-encoding", [1, .. Frame(valid)[1..]], Grpc(StatusCode.Internal));
        yield return Raw("grpc: two messages on a unary call", [.. Frame(valid), .. Frame(valid)], Grpc(StatusCode.Internal));
        yield return Raw("grpc: empty body on a unary call", [], Grpc(StatusCode.Internal));
        yield return Raw("grpc: message over 4 MiB", Frame(new VerifyCitizenRequest { HoVaTen = new string('a', 5 * 1024 * 1024) }.ToByteArray()), Grpc(StatusCode.ResourceExhausted));
        yield return Raw("grpc: length prefix claims 2 GiB", [0, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3], Grpc(StatusCode.ResourceExhausted));
        yield return Raw("grpc: compressed with an unknown codec", [1, .. Frame(valid)[1..]], Grpc(StatusCode.Unimplemented), headers: new() { ["grpc-encoding"] = "zstd-evil" });
        yield return Raw("grpc: gzip declared, garbage compressed", [1, .. Frame([1, 2, 3, 4, 5, 6, 7, 8])[1..]], Grpc(StatusCode.InvalidArgument, "not valid gzip"), headers: new() { ["grpc-encoding"] = "gzip" });
        yield return Raw("grpc: unknown method", Frame(valid), Grpc(StatusCode.Unimplemented), path: "/onestop.v1.LookupService/DropAllTables");
        yield return Raw("grpc: unknown service", Frame(valid), Grpc(StatusCode.Unimplemented), path: "/onestop.v1.Nope/Nope");
        yield return Raw("grpc: JSON content type", Encoding.UTF8.GetBytes("{\"so_dinh_danh\":\"038085000123\"}"), o => o.Http.ShouldBe(415), contentType: "application/json");
        yield return Raw("grpc: no key on a valid call", Frame(valid), Grpc(StatusCode.Unauthenticated), key: null);
        yield return Raw("grpc: wrong key on a valid call", Frame(valid), Grpc(StatusCode.Unauthenticated), key: "' OR 1=1 --");
        yield return Raw("grpc: two x-api-key headers", Frame(valid), Grpc(StatusCode.Unauthenticated), headers: new() { ["x-api-key"] = HostileFixture.AttackerKey });
        yield return Raw("grpc: malformed grpc-timeout", Frame(valid), o => o.Grpc.ShouldNotBeNull(), headers: new() { ["grpc-timeout"] = "forever" });
        yield return Raw("grpc: 40 KB header value", Frame(valid), o => (o.Http is 431 or -2).ShouldBeTrue(), headers: new() { ["x-padding"] = new string('x', 40 * 1024) });
        yield return Raw("grpc: a right the caller lacks", Frame(new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 }.ToByteArray()),
            Grpc(StatusCode.PermissionDenied, "no right to LookupService/GetLandParcel"), key: "onestop-limited-key", path: "/onestop.v1.LookupService/GetLandParcel");
    }

    // ---------- gRPC: well-formed calls with hostile values ----------

    private IEnumerable<Case> GrpcValueCases()
    {
        var client = new LookupService.LookupServiceClient(fixture.Hub.Grpc);
        var key = new Metadata { { "x-api-key", HostileFixture.AttackerKey } };

        Case Call(string name, Func<Task> call, StatusCode expected, string? field = null) => new(name, async () =>
        {
            try
            {
                await call();
                return new Outcome(200, StatusCode.OK, null, null, "");
            }
            catch (RpcException e)
            {
                return new Outcome(200, e.StatusCode, e.Status.Detail, e.Trailers.GetValue("onestop-field"), "");
            }
        }, o =>
        {
            o.Grpc.ShouldBe(expected);
            if (field is not null)
            {
                o.Fault.ShouldBe(field);
                o.GrpcMessage.ShouldStartWith(field + ": ");
            }
        });

        Task Citizen(VerifyCitizenRequest r) => client.VerifyCitizenAsync(r, key, cancellationToken: Ct).ResponseAsync;
        yield return Call("value: cccd with letters", () => Citizen(new() { SoDinhDanh = "03808500012A" }), StatusCode.InvalidArgument, "so_dinh_danh");
        yield return Call("value: cccd of 13 digits", () => Citizen(new() { SoDinhDanh = "0380850001234" }), StatusCode.InvalidArgument, "so_dinh_danh");
        yield return Call("value: cccd as SQL injection", () => Citizen(new() { SoDinhDanh = "' OR '1'='1" }), StatusCode.InvalidArgument, "so_dinh_danh");
        yield return Call("value: cccd with NUL bytes", () => Citizen(new() { SoDinhDanh = "038085\0\0\0123" }), StatusCode.InvalidArgument, "so_dinh_danh");
        yield return Call("value: cccd in full-width digits", () => Citizen(new() { SoDinhDanh = "０３８０８５０００１２３" }), StatusCode.InvalidArgument, "so_dinh_danh");
        yield return Call("value: cmnd of 8 digits", () => Citizen(new() { SoCmnd = "12345678" }), StatusCode.InvalidArgument, "so_cmnd");
        yield return Call("value: no identifier at all", () => Citizen(new() { HoVaTen = "Nguyễn Văn An" }), StatusCode.InvalidArgument, "so_dinh_danh");
        yield return Call("value: name of 100 KB", () => Citizen(new() { SoDinhDanh = "038085000123", HoVaTen = new string('A', 100_000) }), StatusCode.InvalidArgument, "ho_va_ten");
        yield return Call("value: birth date in the future", () => Citizen(new() { SoDinhDanh = "038085000123", NgayThangNamSinh = "2999-01-01" }), StatusCode.InvalidArgument, "ngay_thang_nam_sinh");
        yield return Call("value: birth date not a date", () => Citizen(new() { SoDinhDanh = "038085000123", NgayThangNamSinh = "1985-02-30" }), StatusCode.InvalidArgument, "ngay_thang_nam_sinh");
        yield return Call("value: purpose of 10 KB", () => Citizen(new() { SoDinhDanh = "038085000123", Context = new LookupContext { MucDich = new string('p', 10_000) } }), StatusCode.InvalidArgument, "context.muc_dich");
        yield return Call("value: agency of 1 KB", () => Citizen(new() { SoDinhDanh = "038085000123", Context = new LookupContext { MaDonVi = new string('d', 1000) } }), StatusCode.InvalidArgument, "context.ma_don_vi");
        yield return Call("value: mst of 9 digits", () => client.GetEnterpriseAsync(new() { MaSoDoanhNghiep = "280123456" }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "ma_so_doanh_nghiep");
        yield return Call("value: mst with a wrong check digit", () => client.GetEnterpriseAsync(new() { MaSoDoanhNghiep = "2801234560" }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "ma_so_doanh_nghiep");
        yield return Call("value: mst branch 000", () => client.GetEnterpriseAsync(new() { MaSoDoanhNghiep = "2801234564-000" }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "ma_so_doanh_nghiep");
        yield return Call("value: bhxh with a path", () => client.GetInsuranceAsync(new() { MaSoBhxh = "../../etc/p" }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "ma_so_bhxh");
        yield return Call("value: commune as a URL", () => client.GetLandParcelAsync(new() { MaPhuongXa = "http://169.254.169.254/", SoHieuBanDo = 1, SoThuTuThua = 1 }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "ma_phuong_xa");
        yield return Call("value: negative map sheet", () => client.GetLandParcelAsync(new() { MaPhuongXa = "16012", SoHieuBanDo = -1, SoThuTuThua = 1 }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "so_hieu_ban_do");
        yield return Call("value: parcel zero", () => client.GetLandParcelAsync(new() { MaPhuongXa = "16012", SoHieuBanDo = 1, SoThuTuThua = 0 }, key, cancellationToken: Ct).ResponseAsync, StatusCode.InvalidArgument, "so_thu_tu_thua");
    }

    // ---------- SOAP: the XML corpus on every endpoint ----------

    /// <summary>An endpoint's first operation: its path, SOAPAction and a well-formed request holding the required elements.</summary>
    private sealed record Target(string Path, string Action, string Operation, string Payload)
    {
        public static Target For(WsdlMessages e)
        {
            var operation = e.Operations.First();
            var minimal = SoapOperations.Cases("hostile").First(c => c.Endpoint == e.Endpoint && c.Operation == operation && c.Kind == MessageKind.Minimal).Arguments;
            var envelope = XDocument.Parse(e.Envelope(operation,
                s => SoapOperations.At(minimal, s.Path) is null ? SlotChoice.Absent : SlotChoice.Present, s => WsdlMessages.Value(s, minimal)));
            var payload = envelope.Root!.Elements().Single().Elements().Single().ToString(SaveOptions.DisableFormatting);
            return new Target(e.Endpoint, e.SoapAction(operation), operation, payload);
        }
    }

    private static string Envelope(string body) => $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{body}</s:Body></s:Envelope>";

    private IEnumerable<Case> SoapCases(Target t, IReadOnlyList<WsdlMessages> all)
    {
        var p = t.Path;
        var valid = t.Payload;
        var refusedDtd = Fault(400, "INVALID_ARGUMENT", "DTD");
        var op = XElement.Parse(valid);
        string WithText(string text) => new XElement(op.Name, new XElement(op.Elements().First().Name, new XElement(op.Elements().First().Elements().FirstOrDefault()?.Name ?? op.Name + "x", text))).ToString(SaveOptions.DisableFormatting);
        var withEntity = WithText("@ENTITY@").Replace("@ENTITY@", "&x;", StringComparison.Ordinal);

        yield return Soap(t, "XXE reading /etc/passwd",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + Envelope(withEntity),
            o => { refusedDtd(o); o.Body.ShouldNotContain("root:"); });
        yield return Soap(t, "XXE over http to a loopback port", "<!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:1/secret\">]>" + Envelope("<a>&x;</a>"), refusedDtd);
        yield return Soap(t, "billion laughs",
            "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>" + Envelope("<a>&d;</a>"), refusedDtd);
        yield return Soap(t, "external parameter entity", "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %p;]>" + Envelope(valid), refusedDtd);
        yield return Soap(t, "bare DOCTYPE", "<!DOCTYPE s:Envelope>" + Envelope(valid), refusedDtd);
        yield return Soap(t, "DOCTYPE with an internal subset only", "<!DOCTYPE r [<!ELEMENT r ANY>]>" + Envelope(valid), refusedDtd);
        yield return Soap(t, "undeclared entity reference", Envelope(withEntity), Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return Soap(t, "truncated envelope", Envelope(valid)[..60], Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return Soap(t, "mismatched tags", Envelope("<VerifyCitizen><request></VerifyCitizen></request>"), Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return Soap(t, "illegal character reference", Envelope(WithText("@REF@").Replace("@REF@", "&#0;", StringComparison.Ordinal)), Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return Soap(t, "not XML at all", "hello, hub", Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return Soap(t, "empty request body", "", Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return SoapBytes(t, "binary garbage", [0x00, 0xFF, 0xFE, 0x13, 0x37, 0x00, 0x01], "text/xml", Fault(400, "INVALID_ARGUMENT", "malformed XML"));
        yield return Soap(t, "nesting 200 levels deep", Envelope(string.Concat(Enumerable.Repeat("<a>", 200)) + string.Concat(Enumerable.Repeat("</a>", 200))), Fault(400, "INVALID_ARGUMENT", "nested deeper"));
        yield return Soap(t, "2 MiB body", Envelope(WithText(new string('a', 2 * 1024 * 1024))), Fault(413, "RESOURCE_EXHAUSTED", "larger than"));
        yield return SoapBytes(t, "JSON content type", Encoding.UTF8.GetBytes("{\"SoDinhDanh\":\"038085000123\"}"), "application/json", Fault(415, "INVALID_ARGUMENT", "Content-Type"));
        yield return SoapBytes(t, "no content type", Encoding.UTF8.GetBytes(Envelope(valid)), null, Fault(415, "INVALID_ARGUMENT", "Content-Type"));
        yield return Soap(t, "unknown SOAPAction", Envelope(valid), Fault(500, "UNIMPLEMENTED", "the SOAPAction names no operation"), action: "urn:DropAllTables");
        yield return Soap(t, "SOAP 1.2 envelope as text/xml", $"<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>{valid}</e:Body></e:Envelope>",
            VersionMismatch());
        yield return SoapBytes(t, "SOAP 1.2 request (application/soap+xml)",
            Encoding.UTF8.GetBytes($"<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>{valid}</e:Body></e:Envelope>"),
            $"application/soap+xml; charset=utf-8; action=\"{t.Action}\"", VersionMismatch());
        yield return Soap(t, "envelope in no namespace", $"<Envelope><Body>{valid}</Body></Envelope>", VersionMismatch());
        yield return Soap(t, "document that is not an envelope", valid, Fault(400, "INVALID_ARGUMENT", "not a SOAP message"));
        yield return Soap(t, "envelope without a Body", "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/></s:Envelope>", BodyFault("has no Body"));
        yield return Soap(t, "empty Body", Envelope(""), BodyFault("Body is empty"));
        yield return Soap(t, "Body holding only text", Envelope("just text"), BodyFault("Body is empty"));
        yield return Soap(t, "two operations in one Body", Envelope(valid + valid), BodyFault("holds 2 elements"));
        yield return Soap(t, "two Body elements", $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{valid}</s:Body><s:Body>{valid}</s:Body></s:Envelope>", BodyFault("2 Body elements"));
        foreach (var other in all.Where(e => e.Endpoint != t.Path))
        {
            var otherOperation = other.Operations.First();
            yield return Soap(t, $"SOAPAction of {other.Endpoint} {otherOperation}", Envelope(valid), Fault(500, "UNIMPLEMENTED", "the SOAPAction names no operation"),
                action: other.SoapAction(otherOperation));
            var otherPayload = Target.For(other).Payload;
            yield return Soap(t, $"Body of {other.Endpoint} {otherOperation}", Envelope(otherPayload), o =>
            {
                o.Body.ShouldContain("<faultcode>s:Client</faultcode>");
                o.Fault.ShouldBeOneOf("INVALID_ARGUMENT", "UNIMPLEMENTED");
                o.Body.ShouldNotContain("   at ");
            });
        }

        yield return Soap(t, "wrong key", Envelope(valid), Fault(500, "UNAUTHENTICATED", "x-api-key"), key: "guess");
        yield return Soap(t, "no key", Envelope(valid), Fault(500, "UNAUTHENTICATED", "x-api-key"), key: null);
        yield return Soap(t, "64 KB header", Envelope(valid), o => o.Http.ShouldBe(431), extraHeader: new string('h', 64 * 1024));
        yield return new Case($"{p} PUT instead of POST", () => Send(t.Path, HttpMethod.Put, Encoding.UTF8.GetBytes(Envelope(valid)), "text/xml", t.Action, HostileFixture.AttackerKey, null), Fault(405, "INVALID_ARGUMENT", "POST"));
        yield return SoapBytes(t, "UTF-16 declared, UTF-8 sent", Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?>" + Envelope(valid)), "text/xml", Fault(400, "INVALID_ARGUMENT", "malformed XML"));
    }

    /// <summary>Values the lookup contract itself refuses.</summary>
    private IEnumerable<Case> LookupSoapCases()
    {
        var t = new Target(SoapEndpoints.LookupPath, $"{Lookup}/LookupService/VerifyCitizen", "VerifyCitizen", "");
        var land = t with { Action = $"{Lookup}/LookupService/GetLandParcel" };
        yield return Soap(t, "body of another operation", Envelope($"<GetEnterprise xmlns=\"{Lookup}\"><request><MaSoDoanhNghiep>2801234564</MaSoDoanhNghiep></request></GetEnterprise>"), Fault(400, "INVALID_ARGUMENT", "Element 'VerifyCitizen'"));
        yield return Soap(land, "number field holding text", Envelope($"<GetLandParcel xmlns=\"{Lookup}\"><request><MaPhuongXa>16012</MaPhuongXa><SoHieuBanDo>twelve</SoHieuBanDo><SoThuTuThua>1</SoThuTuThua></request></GetLandParcel>"),
            Fault(500, "INVALID_ARGUMENT", "cannot be converted to the type Int"));
        yield return Soap(t, "invalid cccd", Envelope($"<VerifyCitizen xmlns=\"{Lookup}\"><request><SoDinhDanh>12345</SoDinhDanh></request></VerifyCitizen>"), Fault(500, "INVALID_ARGUMENT", "SoDinhDanh: must be 12 digits"));
    }

    /// <summary>
    /// Every element of every operation given a value of the wrong kind, the rest of the message full: text in a number or
    /// boolean, an element inside a text element, text where a record's elements belong. Each is a Client fault.
    /// </summary>
    private IEnumerable<Case> WrongTypeCases(WsdlMessages e)
    {
        var cases = SoapOperations.Cases("hostile").ToList();
        foreach (var operation in e.Operations)
        {
            var full = cases.First(c => c.Endpoint == e.Endpoint && c.Operation == operation && c.Kind == MessageKind.Full).Arguments;
            foreach (var wrong in e.Slots(operation))
            {
                var xml = e.Envelope(operation, _ => SlotChoice.Present, s => s != wrong
                    ? WsdlMessages.Value(s, full)
                    : s.Builtin is "String" ? [new XElement(s.Name.Namespace + "Nested", "element where text belongs")] : [new XText("not-a-" + (s.Builtin ?? "record").ToLowerInvariant())]);
                var t = new Target(e.Endpoint, e.SoapAction(operation), operation, "");
                yield return Soap(t, $"wrong type in {operation} {wrong.Path} ({wrong.Builtin ?? "record"})",
                    // A complex slot written Present gets children, so give it text explicitly.
                    wrong.IsComplex ? xml.Replace($"<{wrong.Name.LocalName}>", $"<{wrong.Name.LocalName}>text where elements belong", StringComparison.Ordinal) : xml,
                    o =>
                    {
                        o.Body.ShouldContain("<faultcode>s:Client</faultcode>");
                        o.Fault.ShouldBe("INVALID_ARGUMENT");
                        o.Body.ShouldNotContain("   at ");
                    });
            }
        }
    }

    // ---------- raw connections ----------

    private IEnumerable<Case> ConnectionCases()
    {
        yield return new Case("connection: HTTP/1.1 request on the HTTP/2-only gRPC port", () => RawTcp(fixture.Hub.GrpcAddress, "POST /onestop.v1.LookupService/VerifyCitizen HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"u8.ToArray()),
            o => o.Http.ShouldBe(400));
        yield return new Case("connection: random bytes on the gRPC port (closed: not an HTTP/2 preface)", () => RawTcp(fixture.Hub.GrpcAddress, [.. Enumerable.Range(0, 256).Select(i => (byte)(i * 37))]),
            o => o.Http.ShouldBe(-1));
        yield return new Case("connection: random bytes on the HTTP port", () => RawTcp(fixture.Hub.HttpAddress, [.. Enumerable.Range(0, 256).Select(i => (byte)(i * 53))]),
            o => o.Body.ShouldStartWith("HTTP/1.1 400"));
    }

    // ---------- helpers ----------

    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[1] = (byte)(message.Length >> 24);
        frame[2] = (byte)(message.Length >> 16);
        frame[3] = (byte)(message.Length >> 8);
        frame[4] = (byte)message.Length;
        message.CopyTo(frame, 5);
        return frame;
    }

    private static Action<Outcome> Grpc(StatusCode expected, string? messagePart = null) => o =>
    {
        o.Grpc.ShouldBe(expected);
        if (messagePart is not null)
        {
            (o.GrpcMessage ?? "").ShouldContain(messagePart);
        }

        o.GrpcMessage.ShouldNotBeNullOrWhiteSpace();
        (o.GrpcMessage ?? "").ShouldNotContain("   at ");
    };

    /// <summary>A fault SoapCore writes itself (no LookupFault detail): a Client fault with a precise faultstring.</summary>
    private static Action<Outcome> ClientFault(int http, string messagePart) => o =>
    {
        o.Http.ShouldBe(http);
        o.Body.ShouldContain("<faultcode>s:Client</faultcode>");
        o.Body.ShouldContain(messagePart);
        o.Body.ShouldNotContain("   at ");
    };

    private static Action<Outcome> VersionMismatch() => o =>
    {
        o.Http.ShouldBe(500);
        o.Body.ShouldContain("<faultcode>s:VersionMismatch</faultcode>");
        o.Fault.ShouldBe("UNIMPLEMENTED");
        o.Body.ShouldContain("SOAP 1.1 only");
    };

    private static Action<Outcome> BodyFault(string messagePart) => o =>
    {
        Fault(400, "INVALID_ARGUMENT", messagePart)(o);
        o.Body.ShouldContain("<faultcode>s:Client</faultcode>");
        o.Body.ShouldContain("<Field>Body</Field>");
    };

    private static Action<Outcome> Fault(int http, string code, string messagePart) => o =>
    {
        o.Http.ShouldBe(http);
        o.Fault.ShouldBe(code);
        o.Body.ShouldContain(messagePart);
        o.Body.ShouldNotContain("   at ");
    };

    private Case Raw(string name, byte[] body, Action<Outcome> expect, string? key = HostileFixture.AttackerKey, string path = VerifyPath,
        string contentType = "application/grpc", Dictionary<string, string>? headers = null) =>
        new(name, () => new RawClient(fixture.Hub.GrpcAddress).CallAsync(path, body, key, contentType, headers, Ct), expect);

    private Case Soap(Target t, string name, string xml, Action<Outcome> expect, string? action = null, string? key = HostileFixture.AttackerKey, string? extraHeader = null) =>
        new($"{t.Path} {name}", () => Send(t.Path, HttpMethod.Post, Encoding.UTF8.GetBytes(xml), "text/xml; charset=utf-8", action ?? t.Action, key, extraHeader), expect);

    private Case SoapBytes(Target t, string name, byte[] body, string? contentType, Action<Outcome> expect) =>
        new($"{t.Path} {name}", () => Send(t.Path, HttpMethod.Post, body, contentType, t.Action, HostileFixture.AttackerKey, null), expect);

    private async Task<Outcome> Send(string path, HttpMethod method, byte[] body, string? contentType, string action, string? key, string? extraHeader)
    {
        using var http = fixture.Hub.CreateHttpClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{action}\"");
        // As curl does for large bodies: the hub refuses an oversized body from its Content-Length, before reading it;
        // without 100-continue the client may still be writing when the refusal closes the connection.
        request.Headers.ExpectContinue = body.Length > SoapEndpoints.MaxRequestBytes;
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        if (extraHeader is not null)
        {
            request.Headers.Add("x-padding", extraHeader);
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var code = System.Text.RegularExpressions.Regex.Match(text, "<Code[^>]*>([A-Z_]+)</Code>");
        return new Outcome((int)response.StatusCode, null, null, code.Success ? code.Groups[1].Value : null, text);
    }

    /// <summary>Writes bytes on a fresh TCP connection and reads until the server closes it: -1 when closed without an HTTP answer.</summary>
    private static async Task<Outcome> RawTcp(Uri address, byte[] bytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(bytes, Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a guard against hanging, not an assertion
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // reset by the server: closed as well
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        return new Outcome(text.StartsWith("HTTP/", StringComparison.Ordinal) ? int.Parse(text[9..12], System.Globalization.CultureInfo.InvariantCulture) : -1, null, null, null, text);
    }

    /// <summary>Raw HTTP/2 (h2c, prior knowledge) requests with any body and headers, reading the gRPC status wherever it is.</summary>
    private sealed class RawClient(Uri address)
    {
        public async Task<Outcome> CallAsync(string path, byte[] body, string? key, string contentType, Dictionary<string, string>? headers, CancellationToken ct)
        {
            using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.TryAddWithoutValidation("te", "trailers");
            if (key is not null)
            {
                request.Headers.Add("x-api-key", key);
            }

            foreach (var (name, value) in headers ?? [])
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            try
            {
                using var response = await http.SendAsync(request, ct);
                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                string? Header(string name) =>
                    response.Headers.TryGetValues(name, out var v) ? v.First()
                    : response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : null;
                var status = Header("grpc-status");
                return new Outcome((int)response.StatusCode,
                    status is null ? null : (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
                    Header("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null, null, Encoding.Latin1.GetString(bytes));
            }
            catch (HttpRequestException e) when (e.InnerException is HttpProtocolException or IOException || e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded
                || e.Message.Contains("headers length exceeded the server limit", StringComparison.Ordinal))
            {
                // The server reset the stream (e.g. a header over the HTTP/2 limit), or the client kept to the header
                // limit the server had already announced in its SETTINGS frame and did not send it (SocketsHttpHandler
                // reports that one without an error code, so its message is matched: seen in a clean-clone CI run).
                return new Outcome(-2, null, e.InnerException?.Message, null, e.Message);
            }
        }
    }
}
