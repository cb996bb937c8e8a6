using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// OAuth2 client credentials (RFC 6749 §4.4) at <c>POST /token</c>, and the hub's bearer tokens on every transport. A bad
/// secret and every kind of bad token (expired, another audience, unsigned, tampered, unknown key) is 401 with
/// <c>WWW-Authenticate</c>, and each refusal is evidence.
/// </summary>
public sealed class TokenTests(RestFixture fixture) : IClassFixture<RestFixture>
{
    private const string Enterprise = "/api/v1/doanh-nghiep/2801234564";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_by_http_basic_is_a_short_lived_bearer_token_signed_with_the_active_key()
    {
        using var http = fixture.Hub.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:onestop-demo-secret")));
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var json = JsonNode.Parse(text)!;
        json["token_type"]!.GetValue<string>().ShouldBe("Bearer");
        json["expires_in"]!.GetValue<long>().ShouldBe(600);
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(json["access_token"]!.GetValue<string>());
        token.Kid.ShouldBe("current");
        token.Alg.ShouldBe("HS256");
        token.Subject.ShouldBe("demo");
        token.Audiences.ShouldBe([RestFixture.Audience]);
        (token.ValidTo - token.ValidFrom).ShouldBe(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task One_token_serves_json_grpc_and_soap()
    {
        var token = await fixture.TokenAsync();
        using var http = fixture.WithBearer(token);
        (await http.GetAsync(Enterprise, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var grpc = await new LookupService.LookupServiceClient(fixture.Hub.Grpc).GetEnterpriseAsync(
            new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: Ct);
        grpc.DoanhNghiep.MaSoDoanhNghiep.ShouldBe("2801234564");

        using var soap = new HttpRequestMessage(HttpMethod.Post, "/soap/lookup")
        {
            Content = new StringContent(
                """<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetEnterprise xmlns="http://onestop.lgsp/lookup/v1"><request><MaSoDoanhNghiep>2801234564</MaSoDoanhNghiep></request></GetEnterprise></s:Body></s:Envelope>""",
                Encoding.UTF8, "text/xml"),
        };
        soap.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/GetEnterprise\"");
        using var soapResponse = await http.SendAsync(soap, Ct);
        var xml = await soapResponse.Content.ReadAsStringAsync(Ct);
        soapResponse.StatusCode.ShouldBe(HttpStatusCode.OK, xml);
        xml.ShouldContain("Công ty TNHH Một Cửa Số");
    }

    [Fact]
    public async Task Wrong_secret_unknown_client_and_missing_credentials_are_invalid_client_with_a_basic_challenge()
    {
        using var http = fixture.Hub.CreateHttpClient();
        foreach (var form in new[]
        {
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "demo", ["client_secret"] = "wrong" },
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "nobody", ["client_secret"] = "onestop-demo-secret" },
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "demo-limited", ["client_secret"] = "anything" },
            new Dictionary<string, string> { ["grant_type"] = "client_credentials" },
        })
        {
            using var response = await http.PostAsync("/token", new FormUrlEncodedContent(form), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Basic");
            JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>().ShouldBe("invalid_client");
        }

        await EvidenceOf("anonymous", TokenOperation, "unauthenticated");
    }

    [Fact]
    public async Task Malformed_token_requests_get_the_rfc_6749_errors()
    {
        using var http = fixture.Hub.CreateHttpClient();
        await OAuthError(http, new() { ["grant_type"] = "password", ["client_id"] = "demo", ["client_secret"] = "onestop-demo-secret" }, "unsupported_grant_type");
        await OAuthError(http, new() { ["client_id"] = "demo", ["client_secret"] = "onestop-demo-secret" }, "invalid_request");

        using var both = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "demo", ["client_secret"] = "onestop-demo-secret" }),
        };
        both.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:onestop-demo-secret")));
        using var bothResponse = await http.SendAsync(both, Ct);
        bothResponse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await bothResponse.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>().ShouldBe("invalid_request");

        using var json = await http.PostAsync("/token", new StringContent("""{"grant_type":"client_credentials"}""", Encoding.UTF8, "application/json"), Ct);
        json.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var repeated = await http.PostAsync("/token", new StringContent("grant_type=client_credentials&grant_type=client_credentials&client_id=demo&client_secret=onestop-demo-secret", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);
        repeated.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Expired_token_is_refused_with_an_invalid_token_challenge_and_recorded()
    {
        var token = RestFixture.MakeToken("purpose-bound", RestFixture.CurrentKey, "current", DateTime.UtcNow.AddHours(-2), TimeSpan.FromMinutes(10));
        var error = await Refused(token, "expired");
        error.ShouldContain("expired");
        await EvidenceOf("anonymous", "LookupService/GetEnterprise", "unauthenticated");
    }

    [Fact]
    public async Task Token_for_another_audience_or_issuer_is_refused()
    {
        await Refused(RestFixture.MakeToken("demo", RestFixture.CurrentKey, "current", DateTime.UtcNow, TimeSpan.FromMinutes(5), audience: "another-api"), "audience");
        await Refused(RestFixture.MakeToken("demo", RestFixture.CurrentKey, "current", DateTime.UtcNow, TimeSpan.FromMinutes(5), issuer: "someone-else"), "issuer");
    }

    [Fact]
    public async Task Unsigned_token_alg_none_is_refused()
    {
        var real = await fixture.TokenAsync();
        var payload = real.Split('.')[1];
        var header = Base64Url("""{"alg":"none","typ":"JWT","kid":"current"}""");
        await Refused($"{header}.{payload}.", "signature");
        await Refused($"{header}.{payload}", "well-formed");
    }

    [Fact]
    public async Task Tampered_token_is_refused_and_cannot_borrow_another_clients_rights()
    {
        var real = (await fixture.TokenAsync(RestFixture.SecretOnlyClient, RestFixture.SecretOnlySecret)).Split('.');
        var claims = JsonNode.Parse(Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(real[1])))!;
        claims["sub"] = "demo";
        await Refused($"{real[0]}.{Base64Url(claims.ToJsonString())}.{real[2]}", "signature");

        var flipped = real[2][..^2] + (real[2][^2] == 'A' ? 'B' : 'A') + real[2][^1];
        await Refused($"{real[0]}.{real[1]}.{flipped}", "signature");
    }

    [Fact]
    public async Task A_key_rotates_by_key_id_tokens_of_the_old_key_still_serve_and_unknown_keys_are_refused()
    {
        var old = RestFixture.MakeToken("demo", RestFixture.OldKey, "old", DateTime.UtcNow, TimeSpan.FromMinutes(5));
        using (var http = fixture.WithBearer(old))
        {
            (await http.GetAsync(Enterprise, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await Refused(RestFixture.MakeToken("demo", RestFixture.OldKey, "retired", DateTime.UtcNow, TimeSpan.FromMinutes(5)), "key");
        await Refused(RestFixture.MakeToken("demo", RestFixture.OldKey, "current", DateTime.UtcNow, TimeSpan.FromMinutes(5)), "signature");
        await Refused(RestFixture.MakeToken("no-such-client", RestFixture.CurrentKey, "current", DateTime.UtcNow, TimeSpan.FromMinutes(5)), "no longer registered");
    }

    [Fact]
    public async Task Bad_token_over_grpc_is_unauthenticated()
    {
        var token = RestFixture.MakeToken("demo", RestFixture.CurrentKey, "current", DateTime.UtcNow.AddHours(-1), TimeSpan.FromMinutes(1));
        var e = await Should.ThrowAsync<RpcException>(new LookupService.LookupServiceClient(fixture.Hub.Grpc).GetEnterpriseAsync(
            new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
        e.Status.Detail.ShouldContain("expired");
    }

    private const string TokenOperation = "TokenService/Issue";

    /// <summary>The token is refused on a JSON route: 401, an invalid_token challenge whose description contains <paramref name="reason"/>, the JSON error.</summary>
    private async Task<string> Refused(string token, string reason)
    {
        using var http = fixture.WithBearer(token);
        using var response = await http.GetAsync(Enterprise, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, text);
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer")?.Parameter;
        challenge.ShouldNotBeNull();
        challenge.ShouldContain("error=\"invalid_token\"");
        challenge.ShouldContain(reason);
        var json = JsonNode.Parse(text)!;
        json["code"]!.GetValue<string>().ShouldBe("UNAUTHENTICATED");
        json["message"]!.GetValue<string>().ShouldContain(reason);
        text.ShouldNotContain(token);
        return json["message"]!.GetValue<string>();
    }

    private static async Task OAuthError(HttpClient http, Dictionary<string, string> form, string error)
    {
        using var response = await http.PostAsync("/token", new FormUrlEncodedContent(form), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>().ShouldBe(error);
    }

    private async Task EvidenceOf(string client, string operation, string outcome)
    {
        var store = (IEvidenceStore)fixture.Hub.Services.GetService(typeof(IEvidenceStore))!;
        await Eventually.Until(() => store.ReadAllAsync(Ct), entries => entries.Any(e => e.Client == client && e.Operation == operation && e.Outcome == outcome),
            $"evidence {client} {operation} {outcome}");
    }

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);
}
