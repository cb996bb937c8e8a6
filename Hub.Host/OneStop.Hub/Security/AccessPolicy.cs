using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Security;

/// <summary>The outcome of a rights check; <see cref="Reason"/> says what is missing, without any personal data.</summary>
public readonly record struct AccessDecision(bool Allowed, string? Reason)
{
    public static AccessDecision Allow { get; } = new(true, null);

    public static AccessDecision Deny(string reason) => new(false, reason);

    /// <summary>Throws PERMISSION_DENIED when the decision is a denial.</summary>
    public void Demand()
    {
        if (!Allowed)
        {
            throw new HubException(HubErrorKind.PermissionDenied, Reason ?? "permission denied");
        }
    }
}

/// <summary>
/// The client registry and the rights checks, transport-free: the transports authenticate with it and check
/// operation rights; the core checks purposes (lookups) and agencies (dossiers). Deny by default.
/// </summary>
public interface IAccessPolicy
{
    /// <summary>The client whose API key this is, or null. Constant time in the key.</summary>
    ClientRights? FindByApiKey(string apiKey);

    /// <summary>The client <paramref name="clientId"/> when <paramref name="clientSecret"/> is its OAuth2 client secret, or null. Constant time in the secret.</summary>
    ClientRights? FindByClientSecret(string clientId, string clientSecret);

    /// <summary>The client that registered this certificate thumbprint (SHA-256 hex), or null.</summary>
    ClientRights? FindByCertificate(string sha256Thumbprint);

    ClientRights? Find(string? clientId);

    /// <summary>Whether <paramref name="operation"/> (<c>Service/Method</c>) belongs to an admin service.</summary>
    bool IsAdminOperation(string operation);

    AccessDecision CheckOperation(string? clientId, string operation);

    AccessDecision CheckPurpose(string? clientId, string? purpose);

    /// <summary>
    /// Whether the client may handle a dossier of the agencies it names: <paramref name="donViXuLy"/> and the agency
    /// prefix of <paramref name="maHoSo"/> (<c>{agency}-{yyMMdd}-{NNNN}</c>), each when given.
    /// </summary>
    AccessDecision CheckDossier(string? clientId, string? maHoSo, string? donViXuLy);
}

/// <summary>The <see cref="IAccessPolicy"/> over <c>Security:Clients</c>.</summary>
public sealed class AccessPolicy : IAccessPolicy
{
    private static readonly byte[] UnknownClientHash = SHA256.HashData(RandomNumberGenerator.GetBytes(32));
    private readonly ClientRights[] _clients;
    private readonly Dictionary<string, ClientRights> _byId;
    private readonly Dictionary<string, ClientRights> _byThumbprint;
    private readonly HashSet<string> _adminServices;

    public AccessPolicy(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _adminServices = new HashSet<string>(o.AdminServices, StringComparer.Ordinal);
        _clients = [.. o.Clients.Select(kv => new ClientRights(kv.Key, kv.Value, ApiKeys.ParseHash(kv.Value.ApiKeyHash), ApiKeys.ParseHash(kv.Value.ClientSecretHash), _adminServices.Contains))];
        _byId = _clients.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _byThumbprint = new Dictionary<string, ClientRights>(StringComparer.Ordinal);
        foreach (var client in _clients)
        {
            foreach (var thumbprint in client.CertificateThumbprints)
            {
                _byThumbprint[thumbprint] = client;
            }
        }
    }

    public IReadOnlyList<ClientRights> Clients => _clients;

    public ClientRights? FindByApiKey(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(apiKey), hash);
        ClientRights? found = null;
        foreach (var client in _clients)
        {
            // Every client is compared, each in constant time: the time taken says nothing about the key.
            if (client.ApiKeyHash is { } expected && CryptographicOperations.FixedTimeEquals(expected, hash))
            {
                found = client;
            }
        }

        return found;
    }

    public ClientRights? FindByClientSecret(string clientId, string clientSecret)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(clientSecret);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), hash);
        var client = Find(clientId);
        // An unknown client is compared against a hash too, so the time taken does not tell which client ids exist.
        var expected = client?.ClientSecretHash ?? UnknownClientHash;
        var match = CryptographicOperations.FixedTimeEquals(expected, hash);
        return match && client?.ClientSecretHash is not null ? client : null;
    }

    public ClientRights? FindByCertificate(string sha256Thumbprint) =>
        _byThumbprint.GetValueOrDefault(ClientRights.NormaliseThumbprint(sha256Thumbprint));

    public ClientRights? Find(string? clientId) => clientId is null ? null : _byId.GetValueOrDefault(clientId);

    public bool IsAdminOperation(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var slash = operation.IndexOf('/', StringComparison.Ordinal);
        return _adminServices.Contains(slash < 0 ? operation : operation[..slash]);
    }

    public AccessDecision CheckOperation(string? clientId, string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (Find(clientId) is not { } client)
        {
            return AccessDecision.Deny("the caller is not a registered client");
        }

        return client.MayCall(operation)
            ? AccessDecision.Allow
            : AccessDecision.Deny(IsAdminOperation(operation)
                ? $"client {client.Id} has no admin right to {operation}"
                : $"client {client.Id} has no right to {operation}");
    }

    public AccessDecision CheckPurpose(string? clientId, string? purpose)
    {
        if (Find(clientId) is not { } client)
        {
            return AccessDecision.Deny("the caller is not a registered client");
        }

        if (client.MayDeclarePurpose(purpose))
        {
            return AccessDecision.Allow;
        }

        // The declared purpose is the caller's own free text: name the rule, not the value.
        return AccessDecision.Deny(string.IsNullOrWhiteSpace(purpose)
            ? $"client {client.Id} must declare context.muc_dich, one of: {string.Join(", ", client.Purposes.Order(StringComparer.Ordinal))}"
            : $"client {client.Id} may not look up for this context.muc_dich; allowed: {string.Join(", ", client.Purposes.Order(StringComparer.Ordinal))}");
    }

    public AccessDecision CheckDossier(string? clientId, string? maHoSo, string? donViXuLy)
    {
        if (Find(clientId) is not { } client)
        {
            return AccessDecision.Deny("the caller is not a registered client");
        }

        if (!string.IsNullOrWhiteSpace(donViXuLy) && !client.MayUseAgency(donViXuLy.Trim()))
        {
            return AccessDecision.Deny($"client {client.Id} has no right to dossiers of agency {donViXuLy.Trim()} (don_vi_xu_ly)");
        }

        if (AgencyOf(maHoSo) is { } agency && !client.MayUseAgency(agency))
        {
            return AccessDecision.Deny($"client {client.Id} has no right to dossiers of agency {agency} (ma_ho_so prefix)");
        }

        return AccessDecision.Allow;
    }

    /// <summary>Agency code of a dossier code <c>{agency}-{yyMMdd}-{NNNN}</c>, or null when it has no such shape.</summary>
    public static string? AgencyOf(string? maHoSo)
    {
        if (string.IsNullOrWhiteSpace(maHoSo))
        {
            return null;
        }

        var parts = maHoSo.Trim().Split('-');
        return parts.Length >= 3 ? string.Join('-', parts[..^2]) : null;
    }
}

/// <summary>API keys as the registry keeps them: <c>sha256:</c> + lowercase hex of SHA-256(UTF-8 key).</summary>
public static class ApiKeys
{
    public const string Prefix = "sha256:";

    /// <summary>The value to put in <c>Security:Clients:&lt;id&gt;:ApiKeyHash</c> for <paramref name="apiKey"/>.</summary>
    public static string Hash(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
    }

    /// <summary>A new random key (256 bits, URL-safe base64).</summary>
    public static string NewKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[]? ParseHash(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        if (!configured.StartsWith(Prefix, StringComparison.Ordinal) || configured.Length != Prefix.Length + 64)
        {
            throw new FormatException("must be sha256: followed by 64 hex digits");
        }

        return Convert.FromHexString(configured.AsSpan(Prefix.Length));
    }
}
