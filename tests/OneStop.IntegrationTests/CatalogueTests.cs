using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>The real host with the fakes, <c>Catalogue:Enforce</c> on, the catalogue checked every second and read again when 2 s old.</summary>
public sealed class CatalogueFixture : IAsyncLifetime
{
    public TestSystems Systems { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        settings["Catalogue:Enforce"] = "true";
        settings["Catalogue:CheckInterval"] = "00:00:01";
        settings["Catalogue:RefreshInterval"] = "00:00:02";
        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}

public sealed class CatalogueTests(CatalogueFixture fixture) : IClassFixture<CatalogueFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string AddedByEnforcementTest = "9.999999.000.00.00.H56";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CatalogueService.CatalogueServiceClient Client => new(fixture.Hub.Grpc.WithApiKey());

    [Fact]
    public async Task The_scheduled_job_loads_the_portals_procedures_and_agencies_and_CatalogueService_answers_from_them()
    {
        var agencies = await Eventually.Until(
            () => Client.ListAgenciesAsync(new ListAgenciesRequest(), cancellationToken: Ct).ResponseAsync,
            // A load writes the lists, then records itself (LoadedAt): wait for the whole load, not the first list.
            r => r.Agencies.Count == PortalMock.DemoAgencies.Count && r.LoadedAt.Length > 0, "the agency catalogue is loaded", Wait);
        agencies.Agencies.Select(a => a.MaCoQuan).ShouldBe(PortalMock.DemoAgencies.Select(a => a.MaCoQuan).Order(StringComparer.Ordinal));
        agencies.Agencies.Single(a => a.MaCoQuan == "000.00.01.H56").TenCoQuan.ShouldBe("Sở Tư pháp");
        DateTimeOffset.TryParse(agencies.LoadedAt, System.Globalization.CultureInfo.InvariantCulture, out _).ShouldBeTrue();

        var procedures = await Client.ListProceduresAsync(new ListProceduresRequest(), cancellationToken: Ct);
        // The enforcement test of this class adds one procedure (its own field) to the shared portal fake: it may have run first.
        procedures.Procedures.Select(p => p.MaTthc).Where(m => m != AddedByEnforcementTest)
            .ShouldBe(PortalMock.DemoProcedures.Select(p => p.MaTTHC).Order(StringComparer.Ordinal));
        (await Client.ListProceduresAsync(new ListProceduresRequest { MaLinhVuc = "G09-TP03" }, cancellationToken: Ct)).Procedures.Count.ShouldBe(3);

        var birth = await Client.GetProcedureAsync(new GetProcedureRequest { MaTthc = "1.001234.000.00.00.H56" }, cancellationToken: Ct);
        birth.TenTthc.ShouldBe("Đăng ký khai sinh");
        birth.TenLinhVuc.ShouldBe("Hộ tịch");

        var missing = await Should.ThrowAsync<RpcException>(Client.GetProcedureAsync(new GetProcedureRequest { MaTthc = "8.888888.000.00.00.H56" }, cancellationToken: Ct).ResponseAsync);
        missing.StatusCode.ShouldBe(StatusCode.NotFound);
        var empty = await Should.ThrowAsync<RpcException>(Client.GetProcedureAsync(new GetProcedureRequest(), cancellationToken: Ct).ResponseAsync);
        empty.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        empty.Status.Detail.ShouldContain("ma_tthc");

        // The same through the JSON gateway.
        using var http = fixture.Hub.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-api-key", ClientCalls.DemoKey);
        var json = JsonNode.Parse(await http.GetStringAsync("/api/v1/danh-muc/thu-tuc/1.001234.000.00.00.H56", Ct))!;
        json["ten_tthc"]!.GetValue<string>().ShouldBe("Đăng ký khai sinh");
    }

    [Fact]
    public async Task With_Enforce_on_a_pushed_dossier_of_an_unknown_procedure_or_agency_is_refused_naming_the_field_and_a_new_procedure_is_taken_once_reloaded()
    {
        await Eventually.Until(
            () => Client.ListAgenciesAsync(new ListAgenciesRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Agencies.Count > 0, "the catalogue is loaded", Wait);
        var unknownProcedure = InboundTests.Item("000.00.01.H56-261126-0002", "000.00.01.H56");
        unknownProcedure["MaTTHC"] = "9.999999.000.00.00.H56";
        var unknownAgency = InboundTests.Item("000.00.99.H56-261126-0001", "000.00.99.H56");

        var body = await PushAsync(InboundTests.Item("000.00.01.H56-261126-0001", "000.00.01.H56"), unknownProcedure, unknownAgency);

        var result = body["result"]!.AsArray();
        result.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["accepted", "invalid", "invalid"]);
        result[1]!["error"]!.GetValue<string>().ShouldStartWith("MaTTHC: not in the portal's procedure catalogue");
        result[1]!["error"]!.GetValue<string>().ShouldNotContain("9.999999", customMessage: "errors name the field and rule, never the value");
        result[2]!["error"]!.GetValue<string>().ShouldStartWith("DonViXuLy: not in the portal's agency catalogue");

        // The portal publishes the procedure: the next reload knows it, and the same dossier is accepted.
        fixture.Systems.Destinations.Portal.AddProcedure(new PortalProcedure(AddedByEnforcementTest, "Thủ tục thử nghiệm", "G99-TN01", "Thử nghiệm"));
        await Eventually.Until(
            () => Client.ListProceduresAsync(new ListProceduresRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Procedures.Any(p => p.MaTthc == "9.999999.000.00.00.H56"), "the reloaded catalogue lists the new procedure", Wait);
        var again = await PushAsync(unknownProcedure.DeepClone());
        again["result"]!.AsArray().Single()!["status"]!.GetValue<string>().ShouldBe("accepted");
    }

    [Fact]
    public async Task With_Enforce_on_a_published_event_of_an_unknown_procedure_is_INVALID_ARGUMENT_naming_ma_tthc()
    {
        await Eventually.Until(
            () => Client.ListAgenciesAsync(new ListAgenciesRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Agencies.Count > 0, "the catalogue is loaded", Wait);
        var dossiers = new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey());
        var known = DossierRoutingTests.Event("000.00.01.H56-261126-0101", 1, "catalogue-known");
        (await dossiers.PublishEventAsync(known, cancellationToken: Ct)).EventId.ShouldNotBeNullOrEmpty();

        var unknown = DossierRoutingTests.Event("000.00.01.H56-261126-0102", 1, "catalogue-unknown");
        unknown.MaTthc = "8.888888.000.00.00.H56";
        var refused = await Should.ThrowAsync<RpcException>(dossiers.PublishEventAsync(unknown, cancellationToken: Ct).ResponseAsync);
        refused.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        refused.Status.Detail.ShouldStartWith("ma_tthc: is not in the national portal's procedure catalogue");
        refused.Status.Detail.ShouldNotContain("8.888888");
    }

    private async Task<JsonObject> PushAsync(params JsonNode[] items)
    {
        using var http = fixture.Hub.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dvcqg/v1/ho-so")
        {
            Content = new StringContent(new JsonObject { ["data"] = new JsonArray(items) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", InboundFixture.PortalKey);
        using var response = await http.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }
}
