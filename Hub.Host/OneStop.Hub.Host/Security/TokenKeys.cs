using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// The token signing keys by key id, from <see cref="TokenOptions"/> (read again when the configuration changes, so a
/// rotation needs no restart). With no key configured the hub makes a random one at start and says so: tokens then
/// die with the process and are not accepted by other instances.
/// </summary>
internal sealed partial class TokenKeys : IDisposable
{
    public const int MinimumKeyBytes = 32;

    private readonly IDisposable? _subscription;
    private volatile Ring _ring;

    public TokenKeys(IOptionsMonitor<TokenOptions> options, ILogger<TokenKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ring = Build(options.CurrentValue, logger);
        _subscription = options.OnChange(o =>
        {
            try
            {
                _ring = Build(o, logger);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or KeyNotFoundException or ArgumentNullException)
            {
                // A bad change never replaces good keys: the keys in force keep signing and validating.
                LogRefusedChange(logger, e.GetType().Name);
            }
        });
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SymmetricSecurityKey Active => _ring.Active;

    /// <summary>The key with this key id, when it is still accepted.</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId) =>
        keyId is not null && _ring.ById.TryGetValue(keyId, out var key) ? [key] : [];

    public void Dispose() => _subscription?.Dispose();

    internal static SymmetricSecurityKey Load(string id, TokenKeyOptions key)
    {
        if (string.IsNullOrWhiteSpace(key.Secret) == string.IsNullOrWhiteSpace(key.File))
        {
            throw new FormatException("give exactly one of Secret or File");
        }

        var text = key.Secret ?? File.ReadAllText(key.File!);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException(key.Secret is null ? $"the file {key.File} does not hold base64" : "Secret is not base64");
        }

        if (bytes.Length < MinimumKeyBytes)
        {
            throw new FormatException($"the key has {bytes.Length} bytes; HMAC-SHA256 signing needs at least {MinimumKeyBytes}");
        }

        return new SymmetricSecurityKey(bytes) { KeyId = id };
    }

    private static Ring Build(TokenOptions options, ILogger logger)
    {
        if (options.Keys.Count == 0)
        {
            var ephemeral = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(MinimumKeyBytes)) { KeyId = "ephemeral-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) };
            LogEphemeral(logger);
            return new Ring(ephemeral, new Dictionary<string, SecurityKey>(StringComparer.Ordinal) { [ephemeral.KeyId] = ephemeral });
        }

        var keys = options.Keys.ToDictionary(kv => kv.Key, kv => (SecurityKey)Load(kv.Key, kv.Value), StringComparer.Ordinal);
        return new Ring((SymmetricSecurityKey)keys[options.ActiveKey!], keys);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Security:Tokens:Keys is empty: access tokens are signed with a random key made at start (they end with this process and other instances refuse them)")]
    private static partial void LogEphemeral(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Changed Security:Tokens settings refused ({Reason}); the signing keys in force stay")]
    private static partial void LogRefusedChange(ILogger logger, string reason);

    private sealed record Ring(SymmetricSecurityKey Active, Dictionary<string, SecurityKey> ById);
}
