using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OneStop.Hub.Evidence;
using OneStop.Hub.Grpc;
using OneStop.Hub.Soap;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

public static class HubSecurity
{
    /// <summary>
    /// Client authentication (OAuth2 access token, API key, client certificate), operation rights as an authorization policy, the
    /// caller for the core, per-client rate limits, and client certificates on every TLS endpoint Kestrel is
    /// configured with (<c>Kestrel:Endpoints:*:Certificate</c>).
    /// </summary>
    public static WebApplicationBuilder AddOneStopSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddHttpContextAccessor();
        var authentication = services.AddAuthentication(HubClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ClientAuthenticationHandler>(HubClaims.Scheme, null)
            .AddJwtBearer(ClientAuthenticationHandler.TokenScheme);
        ClientCertificates.Add(services, authentication);
        services.AddOptions<TokenOptions>().BindConfiguration("Security:Tokens").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>());
        services.TryAddSingleton<TokenKeys>();
        services.AddOptions<JwtBearerOptions>(ClientAuthenticationHandler.TokenScheme).Configure<IOptions<TokenOptions>, TokenKeys, TimeProvider>(ConfigureTokenValidation);
        services.AddAuthorizationBuilder().AddPolicy(HubClaims.OperationPolicy, p => p
            .AddAuthenticationSchemes(HubClaims.Scheme).RequireAuthenticatedUser().AddRequirements(new OperationRightRequirement()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, OperationRightHandler>());
        services.RemoveAll<ICallerAccessor>();
        services.AddSingleton<ICallerAccessor, HttpContextCallerAccessor>();
        services.AddSingleton<RateLimitMetrics>();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = async (rejected, _) =>
            {
                var http = rejected.HttpContext;
                var client = http.User.FindFirst(HubClaims.ClientId)?.Value;
                http.RequestServices.GetRequiredService<RateLimitMetrics>().Rejected(client);
                await http.RequestServices.GetRequiredService<Exchanges>().RefusedAsync(client, RefusedOperation(http), HubErrorKind.ResourceExhausted,
                    http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).ConfigureAwait(false);
                http.Response.Headers.RetryAfter = "1";
                await Rejections.WriteAsync(http, 8, "RESOURCE_EXHAUSTED", StatusCodes.Status429TooManyRequests,
                    client is null ? "rate limit of unauthenticated callers exceeded; retry later" : $"rate limit of client {client} exceeded; retry later").ConfigureAwait(false);
            };
        });

        // Over TLS a client may present its certificate; certificate authentication checks it and maps it to a client
        // by its pinned thumbprint, so the TLS layer accepts any certificate and leaves the decision to authentication.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
        return builder;
    }

    /// <summary>
    /// The operation a request over the rate limit asked for, before any endpoint read it: <c>Service/Method</c> from a gRPC
    /// path, or from a SOAPAction (<c>…/LookupService/GetEnterprise</c>); else the request path.
    /// </summary>
    private static string RefusedOperation(HttpContext http)
    {
        if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            return HubClaims.OperationOfGrpcMethod(http.Request.Path.Value ?? "");
        }

        var action = http.Request.Headers["SOAPAction"].ToString().Trim('"');
        var parts = action.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : http.Request.Path.Value ?? "";
    }

    /// <summary>
    /// Access tokens issued by <c>POST /token</c>: signed by a configured key (found by key id), HS256 and nothing else
    /// (so <c>alg: none</c> and algorithm swaps fail), this hub's issuer and audience, within their lifetime by the hub's clock.
    /// </summary>
    private static void ConfigureTokenValidation(JwtBearerOptions jwt, IOptions<TokenOptions> options, TokenKeys keys, TimeProvider time)
    {
        var tokens = options.Value;
        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = tokens.Issuer,
            ValidAudience = tokens.Audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyResolver = (_, _, keyId, _) => keys.Resolve(keyId),
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } end && end.ToUniversalTime() > now - parameters.ClockSkew
                    && (notBefore is not { } start || start.ToUniversalTime() <= now + parameters.ClockSkew);
            },
        };
    }

    /// <summary>
    /// Authentication, the per-client rate limiter, then the input guards of both ports (SOAP: size, content type,
    /// DTDs, well-formedness; gRPC: messages that do not parse). Call before the endpoints are mapped.
    /// </summary>
    public static WebApplication UseOneStopSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseOneStopSoapGuard();
        app.UseOneStopGrpcGuard();
        app.UseOneStopJsonGuard();
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics")
            || path.StartsWithSegments("/grpc.health.v1.Health") || (path.Value?.StartsWith("/grpc.reflection.", StringComparison.Ordinal) ?? false))
        {
            return RateLimitPartition.GetNoLimiter("open");
        }

        var security = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var client = context.User.FindFirst(HubClaims.ClientId)?.Value;
        if (client is not null)
        {
            var limits = context.RequestServices.GetRequiredService<IAccessPolicy>().Find(client)?.RateLimit ?? security.RateLimit;
            return RateLimitPartition.GetTokenBucketLimiter("client:" + client, _ => Bucket(limits));
        }

        return RateLimitPartition.GetTokenBucketLimiter("anonymous:" + context.Connection.RemoteIpAddress, _ => Bucket(security.AnonymousRateLimit));
    }

    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions o) => new()
    {
        TokenLimit = o.Burst,
        TokensPerPeriod = o.PermitsPerPeriod,
        ReplenishmentPeriod = o.Period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>Counts calls refused by the rate limiter, by client (never by anything personal).</summary>
internal sealed class RateLimitMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _rejected = meters.Create("OneStop.Hub").CreateCounter<long>("onestop.rate_limited", description: "Calls refused by the per-client rate limit");

    public void Rejected(string? client) => _rejected.Add(1, new KeyValuePair<string, object?>("client", client ?? "anonymous"));
}
