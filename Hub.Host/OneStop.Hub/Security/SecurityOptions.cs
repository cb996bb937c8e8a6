using System.ComponentModel.DataAnnotations;

namespace OneStop.Hub.Security;

/// <summary>
/// Who may call the hub, bound from <c>Security</c>. Deny by default: a client has exactly the rights listed
/// here, and a caller that is not listed has none.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The provincial systems allowed to call, by client id.</summary>
    public Dictionary<string, ClientOptions> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Services whose operations are admin operations: a wildcard right (<c>*</c>) never reaches them; a client
    /// needs a right that names the service (<c>AdminService/*</c>) or the operation.
    /// </summary>
    public string[] AdminServices { get; set; } = ["AdminService", "MappingAdminService", "EvidenceService"];

    /// <summary>Default per-client rate limit (token bucket), used when a client sets none of its own.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Rate limit of callers that present no valid credentials, per remote address.</summary>
    public RateLimitOptions AnonymousRateLimit { get; set; } = new() { PermitsPerPeriod = 20, Burst = 40 };
}

/// <summary>One provincial system: its credentials and its rights.</summary>
public sealed class ClientOptions
{
    /// <summary>
    /// Hash of the client's API key (sent as <c>x-api-key</c>): <c>sha256:</c> followed by the lowercase hex
    /// SHA-256 of the key's UTF-8 bytes. The key itself is never stored.
    /// </summary>
    public string? ApiKeyHash { get; set; }

    /// <summary>
    /// Hash of the client's OAuth2 client secret (<c>POST /token</c>, client credentials grant), in the same form as
    /// <see cref="ApiKeyHash"/>: <c>sha256:</c> + lowercase hex. The secret itself is never stored.
    /// </summary>
    public string? ClientSecretHash { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (hex) of the client certificates this client may present when TLS is on. When a
    /// client lists any, a call over TLS must present one of them (the key alone is not enough).
    /// </summary>
    public string[] CertificateThumbprints { get; set; } = [];

    /// <summary>Operations the client may call: <c>*</c>, <c>LookupService/*</c>, <c>LookupService/VerifyCitizen</c>, <c>AdminService/*</c>.</summary>
    public string[] Operations { get; set; } = [];

    /// <summary>Agencies (MaDonVi) whose dossiers the client may publish or read: <c>*</c>, <c>000.00.01.H56</c>, <c>*.H56</c>.</summary>
    public string[] Agencies { get; set; } = [];

    /// <summary>Purposes (muc_dich) the client may declare on lookups. Empty: any purpose.</summary>
    public string[] Purposes { get; set; } = [];

    /// <summary>This client's own rate limit; null: <see cref="SecurityOptions.RateLimit"/>.</summary>
    public RateLimitOptions? RateLimit { get; set; }
}

/// <summary>A token bucket: <see cref="Burst"/> calls at once, refilled by <see cref="PermitsPerPeriod"/> every <see cref="Period"/>.</summary>
public sealed class RateLimitOptions
{
    [Range(1, 1_000_000)]
    public int PermitsPerPeriod { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);
}
