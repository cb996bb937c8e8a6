using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OneStop.Hub.Security;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The real host with the security test clients, each also given an OAuth2 client secret, and two known token signing
/// keys (<c>old</c> still accepted, <c>current</c> signing), so tests can make tokens the hub must refuse.
/// </summary>
public sealed class RestFixture : IAsyncLifetime
{
    public const string PurposeSecret = "purpose-bound-secret";
    public const string ThrottledSecret = "throttled-secret";
    public const string SecretOnlyClient = "secret-only";
    public const string SecretOnlySecret = "secret-only-secret-value";

    /// <summary>A one-stop system that may only receive inbound dossiers (Fetch, Ack) of <see cref="InboundAgency"/>.</summary>
    public const string InboundClient = "inbound-only";
    public const string InboundSecret = "inbound-only-secret-value";
    public const string InboundAgency = "000.00.31.H56";
    public const string Issuer = "onestop-hub";
    public const string Audience = "onestop-api";

    public static readonly byte[] CurrentKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] OldKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    public TestSystems Systems { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        foreach (var (k, v) in SecurityFixture.Clients())
        {
            settings[k] = v;
        }

        settings["Security:Clients:purpose-bound:ClientSecretHash"] = ApiKeys.Hash(PurposeSecret);
        settings["Security:Clients:throttled:ClientSecretHash"] = ApiKeys.Hash(ThrottledSecret);
        settings[$"Security:Clients:{SecretOnlyClient}:ClientSecretHash"] = ApiKeys.Hash(SecretOnlySecret);
        settings[$"Security:Clients:{SecretOnlyClient}:Operations:0"] = "LookupService/GetEnterprise";
        settings[$"Security:Clients:{InboundClient}:ClientSecretHash"] = ApiKeys.Hash(InboundSecret);
        settings[$"Security:Clients:{InboundClient}:Operations:0"] = "InboundService/Fetch";
        settings[$"Security:Clients:{InboundClient}:Operations:1"] = "InboundService/Ack";
        settings[$"Security:Clients:{InboundClient}:Agencies:0"] = InboundAgency;
        settings["Security:Tokens:Keys:current:Secret"] = Convert.ToBase64String(CurrentKey);
        settings["Security:Tokens:Keys:old:Secret"] = Convert.ToBase64String(OldKey);
        settings["Security:Tokens:ActiveKey"] = "current";
        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }

    /// <summary>An access token from the hub's own <c>POST /token</c> (form credentials).</summary>
    public async Task<string> TokenAsync(string clientId = "demo", string secret = "onestop-demo-secret")
    {
        using var http = Hub.CreateHttpClient();
        using var response = await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>A token made by the test, signed with <paramref name="key"/> under key id <paramref name="keyId"/>.</summary>
    public static string MakeToken(string subject, byte[] key, string keyId, DateTime issued, TimeSpan lifetime, string audience = Audience, string issuer = Issuer) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + lifetime,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>An HTTP client on the HTTP/1.1 port that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient WithBearer(string token)
    {
        var http = Hub.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public HttpClient WithApiKey(string key = ClientCalls.DemoKey)
    {
        var http = Hub.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-api-key", key);
        return http;
    }
}
