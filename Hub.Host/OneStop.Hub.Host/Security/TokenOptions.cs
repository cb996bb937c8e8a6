using OneStop.Adapters;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// OAuth2 access tokens (<c>POST /token</c>), bound from <c>Security:Tokens</c>: signed JWTs (HMAC-SHA256), short-lived,
/// for this hub's audience. Keys are named by key id (<c>kid</c>): tokens are signed with <see cref="ActiveKey"/> and
/// accepted when signed with any listed key, so a key rotates by adding the new one, making it active, and removing the
/// old one once its tokens have expired (one <see cref="Lifetime"/> later).
/// </summary>
public sealed class TokenOptions
{
    [Required]
    public string Issuer { get; set; } = "onestop-hub";

    [Required]
    public string Audience { get; set; } = "onestop-api";

    /// <summary>How long an access token lives (default 10 minutes; 1 minute to 1 day).</summary>
    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Key id of the key that signs new tokens. Empty with no <see cref="Keys"/>: a random key made at start.</summary>
    public string? ActiveKey { get; set; }

    /// <summary>Signing keys by key id: each either <c>Secret</c> (base64, at least 32 bytes) or <c>File</c> (a file holding that base64).</summary>
    public Dictionary<string, TokenKeyOptions> Keys { get; set; } = new(StringComparer.Ordinal);
}

public sealed class TokenKeyOptions
{
    /// <summary>The key, base64 (at least 256 bits). Prefer <see cref="File"/> or an environment variable over appsettings.</summary>
    public string? Secret { get; set; }

    /// <summary>Path of a file that holds the key as base64 (e.g. a mounted secret).</summary>
    public string? File { get; set; }
}

/// <summary>Refuses to start with token settings that cannot be right, naming the setting.</summary>
internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, key) in options.Keys)
        {
            try
            {
                TokenKeys.Load(id, key);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"Security:Tokens:Keys:{id}: {e.Message}");
            }
        }

        if (options.Keys.Count > 0 && (string.IsNullOrWhiteSpace(options.ActiveKey) || !options.Keys.ContainsKey(options.ActiveKey)))
        {
            errors.Add($"Security:Tokens:ActiveKey: must name one of Security:Tokens:Keys ({string.Join(", ", options.Keys.Keys)})");
        }

        if (options.Keys.Count == 0 && !string.IsNullOrWhiteSpace(options.ActiveKey))
        {
            errors.Add("Security:Tokens:ActiveKey: names a key but Security:Tokens:Keys is empty");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
