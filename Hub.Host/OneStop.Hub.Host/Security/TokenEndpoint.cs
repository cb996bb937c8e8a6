using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.OpenApi;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// <c>POST /token</c>: the OAuth2 client credentials grant (RFC 6749 §4.4). The client authenticates with HTTP Basic or
/// with <c>client_id</c> and <c>client_secret</c> in the form (§2.3.1), never both; the secret is checked against
/// <c>Security:Clients:&lt;id&gt;:ClientSecretHash</c>. The answer is a signed JWT access token (§5.1), errors are §5.2's.
/// Every issue and every refusal is evidence (<c>TokenService/Issue</c>).
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/token";
    public const string Operation = "TokenService/Issue";
    private const int MaxFormBytes = 16 * 1024;

    public static WebApplication MapOneStopToken(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, Issue).ExcludeFromDescription();
        return app;
    }

    private static async Task Issue(HttpContext http)
    {
        var request = http.Request;
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            await Refuse(http, "invalid_request", "send the request as application/x-www-form-urlencoded", null).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength is null or > MaxFormBytes)
        {
            await Refuse(http, "invalid_request", $"the form must have a Content-Length of at most {MaxFormBytes} bytes", null).ConfigureAwait(false);
            return;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            await Refuse(http, "invalid_request", "the form could not be read", null).ConfigureAwait(false);
            return;
        }

        if (form.FirstOrDefault(f => f.Value.Count > 1) is { Key: { } repeated })
        {
            await Refuse(http, "invalid_request", $"the parameter {repeated} is given more than once", null).ConfigureAwait(false);
            return;
        }

        var grant = form["grant_type"].ToString();
        if (grant.Length == 0)
        {
            await Refuse(http, "invalid_request", "grant_type is missing (use client_credentials)", null).ConfigureAwait(false);
            return;
        }

        if (grant != "client_credentials")
        {
            await Refuse(http, "unsupported_grant_type", "this hub issues tokens for grant_type=client_credentials only", null).ConfigureAwait(false);
            return;
        }

        var basic = BasicCredentials(request);
        var inForm = form.ContainsKey("client_id") || form.ContainsKey("client_secret");
        if (basic is { } && inForm)
        {
            await Refuse(http, "invalid_request", "authenticate the client one way: HTTP Basic or client_id/client_secret in the form, not both", null).ConfigureAwait(false);
            return;
        }

        var (id, secret) = basic ?? (form["client_id"].ToString(), form["client_secret"].ToString());
        var access = http.RequestServices.GetRequiredService<IAccessPolicy>();
        var client = id is { Length: > 0 } && secret is { Length: > 0 } ? access.FindByClientSecret(id, secret) : null;
        if (client is null)
        {
            await Refuse(http, "invalid_client", id is { Length: > 0 }
                ? "client authentication failed: unknown client, no secret registered, or wrong secret"
                : "client authentication failed: send the client id and secret (HTTP Basic, or client_id and client_secret)", null).ConfigureAwait(false);
            return;
        }

        if (ClientAuthenticationHandler.CertificateRule(http, client) is { } certificateProblem)
        {
            await Refuse(http, "invalid_client", certificateProblem, client.Id).ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Create(http.RequestServices, client.Id);
        await Record(http, client.Id, "ok").ConfigureAwait(false);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
        }, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A signed access token for <paramref name="clientId"/>, and how long it lives.</summary>
    internal static (string Token, TimeSpan Lifetime) Create(IServiceProvider services, string clientId)
    {
        var options = services.GetRequiredService<IOptions<TokenOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var key = services.GetRequiredService<TokenKeys>().Active;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Lifetime,
            Subject = new ClaimsIdentity([new Claim("sub", clientId), new Claim("client_id", clientId), new Claim("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, options.Lifetime);
    }

    /// <summary>RFC 6749 §2.3.1: Basic with the client id and secret each form-url-encoded. Null when no Basic header.</summary>
    private static (string Id, string Secret)? BasicCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? ("", "") : (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
        }
        catch (FormatException)
        {
            return ("", "");
        }
    }

    private static async Task Refuse(HttpContext http, string error, string description, string? client)
    {
        var unauthenticated = error == "invalid_client";
        await Record(http, client ?? "anonymous", unauthenticated ? "unauthenticated" : "invalid_argument").ConfigureAwait(false);
        http.Response.StatusCode = unauthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
        if (unauthenticated)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"onestop\", charset=\"UTF-8\"";
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        await http.Response.WriteAsJsonAsync(new JsonObject { ["error"] = error, ["error_description"] = description }, http.RequestAborted).ConfigureAwait(false);
    }

    private static ValueTask Record(HttpContext http, string client, string outcome) =>
        http.RequestServices.GetRequiredService<IEvidenceRecorder>().RecordAsync(new ExchangeRecord
        {
            Client = client,
            Operation = Operation,
            Time = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            Outcome = outcome,
        }, CancellationToken.None);

    /// <summary>Adds <c>POST /token</c> and the two security schemes (OAuth2 client credentials, API key) to the OpenAPI document.</summary>
    public static void Describe(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["oauth2"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "OAuth2 client credentials (RFC 6749 §4.4): POST /token, then Authorization: Bearer <access_token>",
            Flows = new OpenApiOAuthFlows { ClientCredentials = new OpenApiOAuthFlow { TokenUrl = new Uri(Path, UriKind.Relative), Scopes = new Dictionary<string, string>() } },
        };
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ClientAuthenticationHandler.ApiKeyHeader,
            Description = "the client's API key; the same rights as its tokens",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("oauth2", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] },
        ];

        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        var oauthError = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "error" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. new[] { "invalid_request", "invalid_client", "unsupported_grant_type" }.Select(e => (JsonNode)JsonValue.Create(e))],
                },
                ["error_description"] = text,
            },
        };
        var operation = new OpenApiOperation
        {
            OperationId = "Token_Issue",
            Summary = "OAuth2 access token (client credentials grant)",
            Description = "Authenticate the client with HTTP Basic (client id and secret) or with client_id and client_secret in the form, not both.",
            Tags = new HashSet<OpenApiTagReference> { new("TokenService", document) },
            Security = [new OpenApiSecurityRequirement()],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "grant_type" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["grant_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("client_credentials")] },
                                ["client_id"] = text,
                                ["client_secret"] = text,
                            },
                        },
                    },
                },
            },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "an access token",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "access_token", "token_type", "expires_in" },
                                Properties = new Dictionary<string, IOpenApiSchema>
                                {
                                    ["access_token"] = text,
                                    ["token_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Bearer")] },
                                    ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                                },
                            },
                        },
                    },
                },
                ["400"] = new OpenApiResponse { Description = "invalid_request or unsupported_grant_type", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = oauthError } } },
                ["401"] = new OpenApiResponse { Description = "invalid_client: unknown client or wrong secret", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = oauthError } } },
                ["429"] = new OpenApiResponse { Description = "RESOURCE_EXHAUSTED: too many attempts from this address" },
            },
        };
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = "TokenService" });
        document.Paths ??= [];
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Post, operation);
        document.Paths[Path] = item;
    }
}
