namespace OneStop.Hub.Security;

/// <summary>One registered client as the hub checks it: transport-free, immutable, built from <see cref="ClientOptions"/>.</summary>
public sealed class ClientRights
{
    private readonly string[] _operations;
    private readonly string[] _agencies;
    private readonly HashSet<string> _purposes;
    private readonly Func<string, bool> _isAdminService;

    internal ClientRights(string id, ClientOptions options, byte[]? apiKeyHash, byte[]? clientSecretHash, Func<string, bool> isAdminService)
    {
        Id = id;
        ApiKeyHash = apiKeyHash;
        ClientSecretHash = clientSecretHash;
        CertificateThumbprints = options.CertificateThumbprints.Select(NormaliseThumbprint).ToArray();
        _operations = [.. options.Operations.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())];
        _agencies = [.. options.Agencies.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())];
        _purposes = new HashSet<string>(options.Purposes.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()), StringComparer.Ordinal);
        RateLimit = options.RateLimit;
        _isAdminService = isAdminService;
    }

    public string Id { get; }

    internal byte[]? ApiKeyHash { get; }

    internal byte[]? ClientSecretHash { get; }

    /// <summary>Uppercase hex SHA-256 thumbprints.</summary>
    public IReadOnlyList<string> CertificateThumbprints { get; }

    public RateLimitOptions? RateLimit { get; }

    /// <summary>
    /// Whether the client may call <paramref name="operation"/> (<c>Service/Method</c>). <c>*</c> matches every
    /// operation except admin ones; <c>Service/*</c> every operation of the service; otherwise an exact name.
    /// </summary>
    public bool MayCall(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var slash = operation.IndexOf('/', StringComparison.Ordinal);
        var service = slash < 0 ? operation : operation[..slash];
        var admin = _isAdminService(service);
        foreach (var pattern in _operations)
        {
            if (pattern == "*")
            {
                if (!admin)
                {
                    return true;
                }
            }
            else if (pattern.EndsWith("/*", StringComparison.Ordinal))
            {
                if (string.Equals(pattern[..^2], service, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (string.Equals(pattern, operation, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the client may handle dossiers of agency <paramref name="maDonVi"/>; patterns use <c>*</c> as a wildcard.</summary>
    public bool MayUseAgency(string maDonVi)
    {
        ArgumentNullException.ThrowIfNull(maDonVi);
        return _agencies.Any(p => Glob(p, maDonVi));
    }

    /// <summary>Whether the client may declare <paramref name="purpose"/>. A client that lists no purposes may declare any.</summary>
    public bool MayDeclarePurpose(string? purpose) =>
        _purposes.Count == 0 || (purpose is not null && _purposes.Contains(purpose.Trim()));

    public IReadOnlyCollection<string> Purposes => _purposes;

    internal static string NormaliseThumbprint(string thumbprint) =>
        new string((thumbprint ?? "").Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();

    private static bool Glob(string pattern, string value)
    {
        // '*' matches any run of characters; everything else literally (ordinal). Small patterns, so plain recursion.
        if (pattern.Length == 0)
        {
            return value.Length == 0;
        }

        if (pattern[0] == '*')
        {
            for (var i = 0; i <= value.Length; i++)
            {
                if (Glob(pattern[1..], value[i..]))
                {
                    return true;
                }
            }

            return false;
        }

        return value.Length > 0 && pattern[0] == value[0] && Glob(pattern[1..], value[1..]);
    }
}
