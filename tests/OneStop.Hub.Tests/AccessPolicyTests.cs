using Microsoft.Extensions.Options;
using OneStop.Hub.Security;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class AccessPolicyTests
{
    private static AccessPolicy Policy(params (string Id, ClientOptions Options)[] clients)
    {
        var options = new SecurityOptions();
        foreach (var (id, o) in clients)
        {
            options.Clients[id] = o;
        }

        return new AccessPolicy(Options.Create(options));
    }

    private static ClientOptions Client(string key, string[]? operations = null, string[]? agencies = null, string[]? purposes = null) => new()
    {
        ApiKeyHash = ApiKeys.Hash(key),
        Operations = operations ?? [],
        Agencies = agencies ?? [],
        Purposes = purposes ?? [],
    };

    [Fact]
    public void Api_key_finds_its_client_and_no_other_key_does()
    {
        var policy = Policy(("a", Client("key-a")), ("b", Client("key-b")));
        policy.FindByApiKey("key-a")!.Id.ShouldBe("a");
        policy.FindByApiKey("key-b")!.Id.ShouldBe("b");
        policy.FindByApiKey("key-A").ShouldBeNull();
        policy.FindByApiKey("").ShouldBeNull();
    }

    [Fact]
    public void Api_key_hash_is_sha256_hex_with_a_prefix_and_never_the_key()
    {
        ApiKeys.Hash("onestop-demo-key").ShouldBe("sha256:2631e91a68b4e38b886d66d6783481131f2dd1ca512eea6bfe0d5a0800f97823");
        ApiKeys.NewKey().Length.ShouldBe(43);
    }

    [Theory]
    [InlineData("LookupService/VerifyCitizen", true)]
    [InlineData("LookupService/GetEnterprise", false)]
    [InlineData("DossierService/PublishEvent", false)]
    public void Exact_right_grants_that_operation_only(string operation, bool allowed) =>
        Policy(("c", Client("k", ["LookupService/VerifyCitizen"]))).CheckOperation("c", operation).Allowed.ShouldBe(allowed);

    [Theory]
    [InlineData("LookupService/GetLandParcel", true)]
    [InlineData("DossierService/PublishEvents", true)]
    [InlineData("AdminService/ReplayParked", false)]
    [InlineData("MappingAdminService/Swap", false)]
    [InlineData("EvidenceService/Read", false)]
    public void Wildcard_grants_every_operation_except_admin_ones(string operation, bool allowed) =>
        Policy(("c", Client("k", ["*"]))).CheckOperation("c", operation).Allowed.ShouldBe(allowed);

    [Fact]
    public void Service_right_grants_every_operation_of_that_service_admin_included()
    {
        var policy = Policy(("ops", Client("k", ["AdminService/*"])));
        policy.CheckOperation("ops", "AdminService/ListParked").Allowed.ShouldBeTrue();
        policy.CheckOperation("ops", "AdminServiceX/ListParked").Allowed.ShouldBeFalse();
        policy.CheckOperation("ops", "LookupService/VerifyCitizen").Allowed.ShouldBeFalse();
        policy.IsAdminOperation("AdminService/ListParked").ShouldBeTrue();
    }

    [Fact]
    public void Unknown_or_absent_client_has_no_right() =>
        Policy(("c", Client("k", ["*"]))).CheckOperation(null, "LookupService/VerifyCitizen").Allowed.ShouldBeFalse();

    [Theory]
    [InlineData("*.H56", "000.00.01.H56-260101-0001", null, true)]
    [InlineData("*.H56", "000.00.01.H22-260101-0001", null, false)]
    [InlineData("*.H56", null, "000.00.01.H22", false)]
    [InlineData("H56.*", "H56.14-260101-0001", "H56.14", true)]
    [InlineData("000.00.01.H56", "000.00.01.H56-260101-0001", "000.00.02.H56", false)]
    [InlineData("*", "anything-260101-0001", "x", true)]
    public void Agency_rights_check_don_vi_xu_ly_and_the_ma_ho_so_prefix(string pattern, string? maHoSo, string? donViXuLy, bool allowed) =>
        Policy(("c", Client("k", ["*"], [pattern]))).CheckDossier("c", maHoSo, donViXuLy).Allowed.ShouldBe(allowed);

    [Fact]
    public void Client_without_agencies_may_handle_no_dossier() =>
        Policy(("c", Client("k", ["*"]))).CheckDossier("c", "000.00.01.H56-260101-0001", null).Allowed.ShouldBeFalse();

    [Fact]
    public void Agency_of_a_dossier_code_is_everything_before_date_and_counter()
    {
        AccessPolicy.AgencyOf("000.00.01.H56-260101-0001").ShouldBe("000.00.01.H56");
        AccessPolicy.AgencyOf("H56.14-260101-0001").ShouldBe("H56.14");
        AccessPolicy.AgencyOf("nonsense").ShouldBeNull();
    }

    [Fact]
    public void Purposes_bind_only_clients_that_list_them()
    {
        var policy = Policy(("free", Client("k1", ["*"])), ("bound", Client("k2", ["*"], purposes: ["tiep-nhan-ho-so"])));
        policy.CheckPurpose("free", null).Allowed.ShouldBeTrue();
        policy.CheckPurpose("free", "anything").Allowed.ShouldBeTrue();
        policy.CheckPurpose("bound", "tiep-nhan-ho-so").Allowed.ShouldBeTrue();
        policy.CheckPurpose("bound", "other").Allowed.ShouldBeFalse();
        policy.CheckPurpose("bound", null).Allowed.ShouldBeFalse();
    }

    [Theory]
    [InlineData("/onestop.v1.LookupService/VerifyCitizen", "LookupService/VerifyCitizen")]
    [InlineData("/onestop.v1.AdminService/ReplayParked", "AdminService/ReplayParked")]
    [InlineData("/Plain/Method", "Plain/Method")]
    public void Grpc_method_path_becomes_the_operation_name(string path, string operation) =>
        HubClaims.OperationOfGrpcMethod(path).ShouldBe(operation);

    [Fact]
    public void Registry_that_cannot_be_right_is_refused_naming_the_setting()
    {
        var options = new SecurityOptions();
        options.Clients["no-credentials"] = new ClientOptions { Operations = ["*"] };
        options.Clients["plain-key"] = new ClientOptions { ApiKeyHash = "onestop-demo-key" };
        options.Clients["bad-right"] = new ClientOptions { ApiKeyHash = ApiKeys.Hash("x"), Operations = ["Lookup*"] };
        var result = new SecurityOptionsValidator().Validate(null, options);
        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Security:Clients:no-credentials: needs ApiKeyHash, ClientSecretHash or CertificateThumbprints");
        result.FailureMessage.ShouldContain("Security:Clients:plain-key:ApiKeyHash: must be sha256:");
        result.FailureMessage.ShouldNotContain("onestop-demo-key");
        result.FailureMessage.ShouldContain("'Lookup*' must be *, Service/* or Service/Method");
    }
}
