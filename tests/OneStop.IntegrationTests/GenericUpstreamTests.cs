using System.ServiceModel;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Testing;
using Shouldly;
using Soap = OneStop.Schemas.Soap;

namespace OneStop.IntegrationTests;

/// <summary>
/// An integrator adds a provincial civil-status registry (REST/JSON and SOAP) while the hub runs, with an upstream
/// definition and mapping files only, and callers reach it through the generic lookup on gRPC and SOAP.
/// </summary>
public sealed class GenericUpstreamTests(MappingFolderHubFixture fixture) : IClassFixture<MappingFolderHubFixture>
{
    private readonly GenericLookupService.GenericLookupServiceClient _generic = new(fixture.Hub.Grpc);
    private static Metadata Key => new() { { "x-api-key", "onestop-demo-key" } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static GenericLookupRequest Request(string upstream, params (string Name, string Value)[] parameters)
    {
        var request = new GenericLookupRequest { Upstream = upstream, Context = new LookupContext { MaDonVi = "000.00.01.H56", MaCanBo = "canbo.motcua01" } };
        foreach (var (name, value) in parameters)
        {
            request.Parameters[name] = value;
        }

        return request;
    }

    /// <summary>Copies the civil-status example (mappings, then the upstream definitions) into the hub's folder, pointed at the fake registry.</summary>
    private Task AddCivilStatusRegistryAsync() => AddCivilStatusRegistryAsync(fixture, Ct);

    internal static async Task AddCivilStatusRegistryAsync(MappingFolderHubFixture fixture, CancellationToken ct)
    {
        var admin = new MappingAdminService.MappingAdminServiceClient(fixture.Hub.Grpc);
        foreach (var file in Directory.GetFiles(MappingFolderCopy.Examples, "*.yaml"))
        {
            fixture.Folder.Write(Path.GetFileName(file), await File.ReadAllTextAsync(file, ct));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(MappingFolderCopy.Examples, "upstreams"), "*.yaml"))
        {
            var text = (await File.ReadAllTextAsync(file, ct)).Replace("http://127.0.0.1:5098/", fixture.CivilStatus.Url.ToString(), StringComparison.Ordinal);
            fixture.Folder.Write(Path.Combine("upstreams", Path.GetFileName(file)), text);
        }

        await Eventually.Until(
            () => admin.ListMappingsAsync(new ListMappingsRequest(), Key, cancellationToken: ct).ResponseAsync,
            r => r.Upstreams.Any(u => u.Id == "civil-status") && r.Upstreams.Any(u => u.Id == "civil-status-soap"),
            "the civil-status upstreams to be in force");
    }

    [Fact]
    public async Task A_registry_added_while_the_hub_runs_is_callable_through_the_generic_lookup_on_grpc_and_soap()
    {
        // Before: the hub does not know it.
        var unknown = await Should.ThrowAsync<RpcException>(_generic.LookupAsync(Request("civil-status", ("so_dang_ky", "125/2026")), Key, cancellationToken: Ct).ResponseAsync);
        unknown.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        unknown.Status.Detail.ShouldContain("upstream: no upstream with this id is defined");

        await AddCivilStatusRegistryAsync();

        // gRPC -> REST/JSON upstream with client credentials.
        var rest = await _generic.LookupAsync(Request("civil-status", ("so_dang_ky", "125/2026")), Key, cancellationToken: Ct);
        rest.Record.Fields["ho_va_ten"].StringValue.ShouldBe("Nguyễn Văn Bảo");
        rest.Record.Fields["gioi_tinh"].StringValue.ShouldBe("NAM");
        rest.Record.Fields["ngay_sinh"].StringValue.ShouldBe("2026-01-15");
        rest.Record.Fields["ngay_dang_ky"].StringValue.ShouldBe("2026-01-20T09:30:00+07:00");
        rest.Record.Fields["cha"].StructValue.Fields["so_dinh_danh"].StringValue.ShouldBe("038085000123");
        rest.RecordJson.ShouldContain("\"so_dang_ky\":\"125/2026\"");
        rest.Meta.Nguon.ShouldBe("civil-status");
        rest.Meta.MappingVersion.ShouldBe("civil-status.reply@1");

        // gRPC -> SOAP upstream.
        var soap = await _generic.LookupAsync(Request("civil-status-soap", ("so_dinh_danh", "038226000456")), Key, cancellationToken: Ct);
        soap.Record.Fields["so_dang_ky"].StringValue.ShouldBe("125/2026");
        soap.Record.Fields["ten"].StringValue.ShouldBe("Bảo");
        soap.Meta.Nguon.ShouldBe("civil-status-soap");
        soap.Meta.MappingVersion.ShouldBe("civil-status-soap.reply@1");

        // SOAP client -> both upstreams.
        var factory = SoapClients.Factory<Soap.IGenericLookupSoap>(new Uri(fixture.Hub.HttpAddress, "/soap/generic-lookup"));
        using (factory)
        {
            var client = factory.CreateChannel();
            var viaSoap = await client.GenericLookup(new Soap.GenericLookupRequest
            {
                Upstream = "civil-status",
                Parameters = [new Soap.LookupParameter { Name = "so_dang_ky", Value = "126/2026" }],
            });
            viaSoap.Fields.ShouldContain(f => f.Path == "gioi_tinh" && f.Value == "NU");
            viaSoap.Fields.ShouldContain(f => f.Path == "me.ho_va_ten" && f.Value == "Lê Thị Lan");
            viaSoap.Fields.ShouldContain(f => f.Path == "loai_dang_ky" && f.Value == "DANG_KY_LAI");
            viaSoap.RecordJson!.ShouldContain("\"so_dang_ky\":\"126/2026\"");
            viaSoap.Meta!.MappingVersion.ShouldBe("civil-status.reply@1");

            var soapToSoap = await client.GenericLookup(new Soap.GenericLookupRequest
            {
                Upstream = "civil-status-soap",
                Parameters = [new Soap.LookupParameter { Name = "so_dang_ky", Value = "125/2026" }],
            });
            soapToSoap.Fields.ShouldContain(f => f.Path == "cha.ho_va_ten" && f.Value == "Nguyễn Văn An");

            var fault = await Should.ThrowAsync<FaultException<Soap.LookupFault>>(client.GenericLookup(new Soap.GenericLookupRequest
            {
                Upstream = "civil-status",
                Parameters = [new Soap.LookupParameter { Name = "so_dang_ky", Value = "999/2026" }],
            }));
            fault.Detail.Code.ShouldBe("NOT_FOUND");
        }

        fixture.CivilStatus.Calls.ShouldBeGreaterThanOrEqualTo(4);
    }
}

/// <summary>The generic lookup's errors, each saying what to fix (a hub of its own: it adds the registry too).</summary>
public sealed class GenericUpstreamErrorTests(MappingFolderHubFixture fixture) : IClassFixture<MappingFolderHubFixture>
{
    private readonly GenericLookupService.GenericLookupServiceClient _generic = new(fixture.Hub.Grpc);

    private static Metadata Key => new() { { "x-api-key", "onestop-demo-key" } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_built_in_lookups_upstream_is_refused_by_the_generic_lookup_naming_its_operation()
    {
        // upstreams/population.yaml is in the folder, but only VerifyCitizen (its right, its identifier checks) may call it.
        var calls = fixture.Mocks.Population.BusinessCalls;
        var refused = await Should.ThrowAsync<RpcException>(
            _generic.LookupAsync(GenericUpstreamTests.Request("population", ("so_dinh_danh", "038085000123")), Key, cancellationToken: Ct).ResponseAsync);
        refused.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        refused.Status.Detail.ShouldBe("upstream: 'population' is a built-in lookup: call LookupService/VerifyCitizen");
        fixture.Mocks.Population.BusinessCalls.ShouldBe(calls);
    }

    [Fact]
    public async Task Generic_lookup_errors_say_what_to_fix()
    {
        await GenericUpstreamTests.AddCivilStatusRegistryAsync(fixture, Ct);

        // The request mapping cannot build a request without a number or a personal ID.
        var missing = await Should.ThrowAsync<RpcException>(_generic.LookupAsync(GenericUpstreamTests.Request("civil-status"), Key, cancellationToken: Ct).ResponseAsync);
        missing.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        missing.Status.Detail.ShouldBe("civil-status.request: soDangKy: required value missing at so_dang_ky");

        // A parameter may not hide the hub's own values.
        var reserved = await Should.ThrowAsync<RpcException>(
            _generic.LookupAsync(GenericUpstreamTests.Request("civil-status", ("upstream", "x")), Key, cancellationToken: Ct).ResponseAsync);
        reserved.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        reserved.Trailers.GetValue("onestop-field").ShouldBe("parameters");

        // No such registration.
        var notFound = await Should.ThrowAsync<RpcException>(
            _generic.LookupAsync(GenericUpstreamTests.Request("civil-status-soap", ("so_dang_ky", "999/2026")), Key, cancellationToken: Ct).ResponseAsync);
        notFound.StatusCode.ShouldBe(StatusCode.NotFound);

        // The SOAP registry refuses a request without a number (a soap:Client fault).
        var refused = await Should.ThrowAsync<RpcException>(
            _generic.LookupAsync(GenericUpstreamTests.Request("civil-status-soap", ("ngay_sinh", "2026-01-15")), Key, cancellationToken: Ct).ResponseAsync);
        refused.StatusCode.ShouldBe(StatusCode.FailedPrecondition);
        refused.Trailers.GetValue("onestop-upstream").ShouldBe("civil-status-soap");
        refused.Status.Detail.ShouldContain("SOAP fault soap:Client");
    }
}
