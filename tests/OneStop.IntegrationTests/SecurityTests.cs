using System.Net;
using System.ServiceModel;
using System.Text;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using ILookupSoap = OneStop.Schemas.Soap.ILookupSoap;
using LookupFault = OneStop.Schemas.Soap.LookupFault;
using OneStop.Testing;
using Shouldly;
using SoapContracts = OneStop.Schemas.Soap;

namespace OneStop.IntegrationTests;

public sealed class SecurityTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    private readonly LookupService.LookupServiceClient _client = new(fixture.Hub.Grpc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata Key(string key) => new() { { "x-api-key", key } };

    private Uri SoapEndpoint => new(fixture.Hub.HttpAddress, "/soap/lookup");

    private static VerifyCitizenRequest Citizen(string? purpose = null) => new()
    {
        SoDinhDanh = "038085000123",
        HoVaTen = "Nguyễn Văn An",
        Context = purpose is null ? null : new LookupContext { MucDich = purpose },
    };

    [Fact]
    public async Task Grpc_call_without_a_key_is_Unauthenticated()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(Citizen(), cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
        e.Status.Detail.ShouldContain("x-api-key");
    }

    [Fact]
    public async Task Grpc_call_with_a_wrong_key_is_Unauthenticated_and_the_key_is_not_echoed()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(Citizen(), Key("not-a-key-anyone-has"), cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
        e.Status.Detail.ShouldBe("x-api-key is not the key of a registered client");
        fixture.Hub.Logs.Lines.ShouldNotContain(l => l.Contains("not-a-key-anyone-has", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Limited_client_may_verify_citizens_and_nothing_else()
    {
        var reply = await _client.VerifyCitizenAsync(Citizen(), Key("onestop-limited-key"), cancellationToken: Ct);
        reply.CongDan.SoDinhDanh.ShouldBe("038085000123");

        var e = await Should.ThrowAsync<RpcException>(() => _client.GetEnterpriseAsync(
            new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, Key("onestop-limited-key"), cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.PermissionDenied);
        e.Status.Detail.ShouldBe("client demo-limited has no right to LookupService/GetEnterprise");
    }

    [Fact]
    public async Task An_operation_nobody_was_granted_is_denied_even_to_a_wildcard_client_when_it_is_an_admin_service()
    {
        // Authorization works by operation name, so a service that does not exist yet is covered the same way.
        var policy = (IAccessPolicy)fixture.Hub.Services.GetService(typeof(IAccessPolicy))!;
        policy.CheckOperation("demo", "DossierService/PublishEvent").Allowed.ShouldBeTrue();
        policy.CheckOperation("demo-limited", "DossierService/PublishEvent").Allowed.ShouldBeFalse();
        policy.CheckOperation("purpose-bound", "AdminService/ReplayParked").Reason.ShouldBe("client purpose-bound has no admin right to AdminService/ReplayParked");
        policy.CheckOperation("demo", "AdminService/ReplayParked").Allowed.ShouldBeTrue();
        policy.CheckOperation("nobody", "LookupService/VerifyCitizen").Allowed.ShouldBeFalse();
        policy.CheckDossier("purpose-bound", "000.00.01.H56-260101-0001", "000.00.01.H56").Allowed.ShouldBeTrue();
        policy.CheckDossier("purpose-bound", "000.00.01.H22-260101-0001", null).Reason.ShouldBe("client purpose-bound has no right to dossiers of agency 000.00.01.H22 (ma_ho_so prefix)");
        policy.CheckDossier("demo-limited", null, "000.00.01.H56").Allowed.ShouldBeFalse();
    }

    [Fact]
    public async Task Health_and_reflection_stay_open_without_a_key()
    {
        // gRPC health follows readiness, which waits for the delivery consumers to join their groups after start.
        var health = new global::Grpc.Health.V1.Health.HealthClient(fixture.Hub.Grpc);
        await Eventually.Until(() => health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Status == global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, "gRPC health reports SERVING without a key");
        using var http = fixture.Hub.CreateHttpClient();
        (await http.GetStringAsync(new Uri("/health/live", UriKind.Relative), Ct)).ShouldContain("Healthy");
        (await http.GetStringAsync(new Uri("/soap/lookup?wsdl", UriKind.Relative), Ct)).ShouldContain("VerifyCitizen");
    }

    [Fact]
    public async Task Lookup_with_a_purpose_the_client_may_not_declare_is_PermissionDenied()
    {
        var ok = await _client.VerifyCitizenAsync(Citizen("tiep-nhan-ho-so"), Key(SecurityFixture.PurposeKey), cancellationToken: Ct);
        ok.CongDan.SoDinhDanh.ShouldBe("038085000123");

        var wrong = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(Citizen("marketing"), Key(SecurityFixture.PurposeKey), cancellationToken: Ct).ResponseAsync);
        wrong.StatusCode.ShouldBe(StatusCode.PermissionDenied);
        wrong.Status.Detail.ShouldBe("client purpose-bound may not look up for this context.muc_dich; allowed: tiep-nhan-ho-so");

        var none = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(Citizen(), Key(SecurityFixture.PurposeKey), cancellationToken: Ct).ResponseAsync);
        none.StatusCode.ShouldBe(StatusCode.PermissionDenied);
        none.Status.Detail.ShouldContain("must declare context.muc_dich");
    }

    [Fact]
    public async Task Soap_call_without_a_key_is_an_UNAUTHENTICATED_fault_and_a_missing_right_a_PERMISSION_DENIED_fault()
    {
        using (var anonymous = SoapClients.Factory<ILookupSoap>(SoapEndpoint, apiKey: null))
        {
            var fault = await Should.ThrowAsync<FaultException<LookupFault>>(() => anonymous.CreateChannel().VerifyCitizen(
                new SoapContracts.VerifyCitizenRequest { SoDinhDanh = "038085000123" }));
            fault.Detail.Code.ShouldBe("UNAUTHENTICATED");
        }

        using (var wrong = SoapClients.Factory<ILookupSoap>(SoapEndpoint, apiKey: "guessed"))
        {
            var fault = await Should.ThrowAsync<FaultException<LookupFault>>(() => wrong.CreateChannel().VerifyCitizen(
                new SoapContracts.VerifyCitizenRequest { SoDinhDanh = "038085000123" }));
            fault.Detail.Code.ShouldBe("UNAUTHENTICATED");
            fault.Detail.Message.ShouldBe("x-api-key is not the key of a registered client");
        }

        using var limited = SoapClients.Factory<ILookupSoap>(SoapEndpoint, apiKey: "onestop-limited-key");
        var channel = limited.CreateChannel();
        (await channel.VerifyCitizen(new SoapContracts.VerifyCitizenRequest { SoDinhDanh = "038085000123" })).CongDan!.SoDinhDanh.ShouldBe("038085000123");
        var denied = await Should.ThrowAsync<FaultException<LookupFault>>(() => channel.GetEnterprise(new SoapContracts.GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }));
        denied.Detail.Code.ShouldBe("PERMISSION_DENIED");
        denied.Detail.Message.ShouldBe("client demo-limited has no right to LookupService/GetEnterprise");
    }

    [Fact]
    public async Task Client_over_its_rate_limit_gets_ResourceExhausted_on_grpc_and_429_on_soap_while_others_are_served()
    {
        var key = Key(SecurityFixture.ThrottledKey);
        for (var i = 0; i < 3; i++)
        {
            await _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, key, cancellationToken: Ct);
        }

        var e = await Should.ThrowAsync<RpcException>(() => _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.ResourceExhausted);
        e.Status.Detail.ShouldBe("rate limit of client throttled exceeded; retry later");

        using var http = fixture.Hub.CreateHttpClient();
        using var content = new StringContent(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetEnterprise xmlns=\"http://onestop.lgsp/lookup/v1\"><request><MaSoDoanhNghiep>2801234564</MaSoDoanhNghiep></request></GetEnterprise></s:Body></s:Envelope>",
            Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/GetEnterprise\"");
        content.Headers.Add("x-api-key", SecurityFixture.ThrottledKey);
        using var soap = await http.PostAsync(SoapEndpoint, content, Ct);
        soap.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await soap.Content.ReadAsStringAsync(Ct)).ShouldContain("<Code>RESOURCE_EXHAUSTED</Code>");

        // Another client has its own bucket.
        (await _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, Key("onestop-demo-key"), cancellationToken: Ct))
            .DoanhNghiep.MaSoDoanhNghiep.ShouldBe("2801234564");
    }

    [Fact]
    public async Task Evidence_endpoint_needs_the_admin_right_and_shows_refusals_lookups_and_its_own_reads()
    {
        await Should.ThrowAsync<RpcException>(() => _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, Key("onestop-limited-key"), cancellationToken: Ct).ResponseAsync);
        await _client.GetLandParcelAsync(new GetLandParcelRequest
        {
            MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345,
            Context = new LookupContext { MucDich = "tiep-nhan-ho-so", MaHoSo = "000.00.01.H56-260101-0007" },
        }, Key("onestop-demo-key"), cancellationToken: Ct);

        using var http = fixture.Hub.CreateHttpClient();
        (await http.GetAsync(new Uri("/admin/evidence", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using (var limited = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/evidence", UriKind.Relative)))
        {
            limited.Headers.Add("x-api-key", "onestop-limited-key");
            (await http.SendAsync(limited, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/evidence", UriKind.Relative));
        request.Headers.Add("x-api-key", "onestop-demo-key");
        using var response = await http.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var entries = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => EvidenceEntry.Parse(Encoding.UTF8.GetBytes(l))).ToList();

        EvidenceChain.Verify(entries).Problems.ShouldBeEmpty();
        entries.ShouldContain(e => e.Client == "demo-limited" && e.Operation == "LookupService/GetEnterprise" && e.Outcome == "permission_denied");
        entries.ShouldContain(e => e.Client == "anonymous" && e.Operation == "EvidenceService/Read" && e.Outcome == "unauthenticated");
        entries.ShouldContain(e => e.Client == "demo-limited" && e.Operation == "EvidenceService/Read" && e.Outcome == "permission_denied");
        var land = entries.Last(e => e.Operation == "LookupService/GetLandParcel" && e.MaHoSo == "000.00.01.H56-260101-0007");
        land.Client.ShouldBe("demo");
        land.Outcome.ShouldBe("ok");
        land.Purpose.ShouldBe("tiep-nhan-ho-so");
        land.MappingVersion!.Split(',').ShouldBe(["land.request@1", "land.reply@1"], "evidence names every mapping the exchange used");
        land.RequestDigest!.Length.ShouldBe(64);
        land.ResponseDigest!.Length.ShouldBe(64);
    }
}
