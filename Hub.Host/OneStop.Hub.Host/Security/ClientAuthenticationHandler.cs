using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// Authenticates a provincial system by an OAuth2 access token (<c>Authorization: Bearer</c>, validated by the JwtBearer
/// scheme <see cref="TokenScheme"/>: signature by a configured key id, HS256 only, issuer, audience, lifetime), by its API key (<c>x-api-key</c>, compared by SHA-256 hash in constant
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

    /// <summary>The JwtBearer scheme that validates access tokens issued by <c>POST /token</c>.</summary>
    public const string TokenScheme = "OneStopToken";

    private const string BearerFailureItem = "onestop:bearer-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count > 0 && authorization.ToString().StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return await AuthenticateBearerAsync().ConfigureAwait(false);
        }

        return await AuthenticateKeyOrCertificateAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The rule for clients that pinned certificates, whatever else they present: over TLS they must present one of
    /// them. Null when the rule holds; otherwise the reason.
    /// </summary>
    internal static string? CertificateRule(HttpContext context, ClientRights client)
    {
        if (!context.Request.IsHttps || client.CertificateThumbprints.Count == 0)
        {
            return null;
        }

        var certificate = context.Connection.ClientCertificate;
        return certificate is not null && client.CertificateThumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256))
            ? null
            : $"client {client.Id} must present its registered client certificate over TLS";
    }

    private async Task<AuthenticateResult> AuthenticateBearerAsync()
    {
        if (Request.Headers.Authorization.Count > 1 || Request.Headers.ContainsKey(ApiKeyHeader))
        {
            return Fail("send one credential: Authorization: Bearer or x-api-key, not both", bearer: true);
        }

        var result = await Context.AuthenticateAsync(TokenScheme).ConfigureAwait(false);
        if (result.Failure is { } failure)
        {
            return Fail(Describe(failure), bearer: true);
        }

        var subject = result.Principal?.FindFirst("sub")?.Value;
        if (!result.Succeeded || subject is null)
        {
            return Fail("the bearer token is empty or has no subject", bearer: true);
        }

        if (access.Find(subject) is not { } client)
        {
            return Fail("the bearer token's client is no longer registered", bearer: true);
        }

        var (byCertificate, certificateProblem) = await AuthenticateCertificateAsync().ConfigureAwait(false);
        if (certificateProblem is not null)
        {
            return Fail(certificateProblem, bearer: true);
        }

        if (byCertificate is not null && !ReferenceEquals(byCertificate, client))
        {
            return Fail("the bearer token and the client certificate belong to different clients", bearer: true);
        }

        if (CertificateRule(Context, client) is { } problem)
        {
            return Fail(problem, bearer: true);
        }

        return Success(client, "bearer");
    }

    /// <summary>Why a token was refused, in words a caller can act on (never the token).</summary>
    private static string Describe(Exception failure) => failure switch
    {
        Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException => "the bearer token has expired: get a new one from POST /token",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidLifetimeException => "the bearer token has expired or is not valid yet: get a new one from POST /token",
        Microsoft.IdentityModel.Tokens.SecurityTokenNotYetValidException => "the bearer token is not valid yet",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAudienceException => "the bearer token is for another audience",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidIssuerException => "the bearer token is from another issuer",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAlgorithmException => "the bearer token is not signed with HS256",
        Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException => "the bearer token is signed with a key this hub does not hold (unknown or retired key id)",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidSignatureException => "the bearer token's signature does not verify",
        Microsoft.IdentityModel.Tokens.SecurityTokenNoExpirationException => "the bearer token has no expiry",
        Microsoft.IdentityModel.Tokens.SecurityTokenMalformedException or ArgumentException => "the bearer token is not a well-formed JWT",
        _ => "the bearer token is not valid",
    };

    /// <summary>
    /// The framework's certificate authentication checks the certificate (type, chain, validity, use, revocation:
    /// Security:ClientCertificates) and maps a valid one to its client by thumbprint. No certificate: (null, null).
    /// </summary>
    private async Task<(ClientRights? Client, string? Problem)> AuthenticateCertificateAsync()
    {
        var certificate = await Context.AuthenticateAsync(ClientCertificates.Scheme).ConfigureAwait(false);
        if (certificate.Failure is { } failure)
        {
            return (null, failure.Message == ClientCertificates.NotRegistered
                ? ClientCertificates.NotRegistered
                : "the client certificate failed validation (type, chain, validity period, use or revocation: Security:ClientCertificates)");
        }

        if (!certificate.Succeeded)
        {
            return (null, null);
        }

        var client = access.Find(certificate.Principal.FindFirst(HubClaims.ClientId)?.Value);
        return client is null ? (null, ClientCertificates.NotRegistered) : (client, null);
    }

    private async Task<AuthenticateResult> AuthenticateKeyOrCertificateAsync()
    {
        ClientRights? byKey = null;
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

        var (byCertificate, certificateProblem) = await AuthenticateCertificateAsync().ConfigureAwait(false);
        if (certificateProblem is not null)
        {
            return Fail(certificateProblem);
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
        return Success(client, credential);
    }

    private static AuthenticateResult Success(ClientRights client, string credential)
    {
        var identity = new ClaimsIdentity(
            [new Claim(HubClaims.ClientId, client.Id), new Claim(HubClaims.Credential, credential), new Claim(ClaimTypes.Name, client.Id)],
            HubClaims.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), HubClaims.Scheme));
    }

    /// <summary>RFC 6750 §3 for tokens (with the reason when one was refused), and the API key alternative.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var bearer = Context.Items[BearerFailureItem] is string reason
            ? $"Bearer realm=\"onestop\", error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'", StringComparison.Ordinal)}\""
            : "Bearer realm=\"onestop\"";
        Response.Headers.WWWAuthenticate = new Microsoft.Extensions.Primitives.StringValues([bearer, $"ApiKey header=\"{ApiKeyHeader}\""]);
        return Task.CompletedTask;
    }

    private AuthenticateResult Fail(string reason, bool bearer = false)
    {
        Context.Items[HubClaims.FailureItem] = reason;
        if (bearer)
        {
            Context.Items[BearerFailureItem] = reason;
        }

        return AuthenticateResult.Fail(reason);
    }
}
