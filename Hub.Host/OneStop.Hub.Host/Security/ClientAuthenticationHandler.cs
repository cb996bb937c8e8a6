using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// Authenticates a provincial system by its API key (<c>x-api-key</c>, compared by SHA-256 hash in constant
/// time) and, over TLS, by its client certificate (checked by ASP.NET Core's certificate authentication, then mapped
/// by the SHA-256 thumbprint registered in <c>Security:Clients</c>).
/// Rules: a certificate alone or a key alone identifies its client; both must name the same client; a client
/// that registered certificates must present one whenever the connection is TLS. No credentials: no result
/// (the transports answer UNAUTHENTICATED); wrong credentials: failure, with the reason kept for the answer.
/// </summary>
internal sealed class ClientAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IAccessPolicy access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string ApiKeyHeader = "x-api-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        ClientRights? byKey = null;
        ClientRights? byCertificate = null;
        var keys = Request.Headers[ApiKeyHeader];
        if (keys.Count > 1)
        {
            return Fail("send exactly one x-api-key header");
        }

        if (keys.Count == 1)
        {
            byKey = access.FindByApiKey(keys[0] ?? "");
            if (byKey is null)
            {
                return Fail("x-api-key is not the key of a registered client");
            }
        }

        // The framework's certificate authentication checks the certificate (type, chain, validity, use, revocation:
        // Security:ClientCertificates) and maps a valid one to its client by thumbprint.
        var certificate = await Context.AuthenticateAsync(ClientCertificates.Scheme).ConfigureAwait(false);
        if (certificate.Failure is { } failure)
        {
            return Fail(failure.Message == ClientCertificates.NotRegistered
                ? ClientCertificates.NotRegistered
                : "the client certificate failed validation (type, chain, validity period, use or revocation: Security:ClientCertificates)");
        }

        if (certificate.Succeeded)
        {
            byCertificate = access.Find(certificate.Principal.FindFirst(HubClaims.ClientId)?.Value);
            if (byCertificate is null)
            {
                return Fail(ClientCertificates.NotRegistered);
            }
        }

        if (byKey is not null && byCertificate is not null && !ReferenceEquals(byKey, byCertificate))
        {
            return Fail("x-api-key and the client certificate belong to different clients");
        }

        var client = byCertificate ?? byKey;
        if (client is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (byCertificate is null && Request.IsHttps && client.CertificateThumbprints.Count > 0)
        {
            return Fail($"client {client.Id} must present its registered client certificate over TLS");
        }

        var credential = byKey is not null && byCertificate is not null ? "api-key+certificate" : byKey is not null ? "api-key" : "certificate";
        var identity = new ClaimsIdentity(
            [new Claim(HubClaims.ClientId, client.Id), new Claim(HubClaims.Credential, credential), new Claim(ClaimTypes.Name, client.Id)],
            HubClaims.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), HubClaims.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey header=\"x-api-key\"";
        return Task.CompletedTask;
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[HubClaims.FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
