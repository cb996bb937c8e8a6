using Microsoft.Extensions.Options;

namespace OneStop.Hub.Security;

/// <summary>Refuses to start with a client registry that cannot be right, naming the setting.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, client) in options.Clients)
        {
            var at = $"Security:Clients:{id}";
            if (string.IsNullOrWhiteSpace(id) || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add($"{at}: a client id must be non-empty, without spaces");
            }

            if (client is null)
            {
                errors.Add($"{at}: has no settings");
                continue;
            }

            if (string.IsNullOrWhiteSpace(client.ApiKeyHash) && string.IsNullOrWhiteSpace(client.ClientSecretHash) && client.CertificateThumbprints.Length == 0)
            {
                errors.Add($"{at}: needs ApiKeyHash, ClientSecretHash or CertificateThumbprints (a client without credentials can never call)");
            }

            foreach (var (setting, value, what) in new[] { ("ApiKeyHash", client.ApiKeyHash, "key"), ("ClientSecretHash", client.ClientSecretHash, "secret") })
            {
                try
                {
                    ApiKeys.ParseHash(value);
                }
                catch (FormatException e)
                {
                    errors.Add($"{at}:{setting}: {e.Message} (never the {what} itself)");
                }
            }

            foreach (var thumbprint in client.CertificateThumbprints)
            {
                if (ClientRights.NormaliseThumbprint(thumbprint).Length != 64)
                {
                    errors.Add($"{at}:CertificateThumbprints: '{thumbprint}' is not a SHA-256 thumbprint (64 hex digits)");
                }
            }

            foreach (var pattern in client.Operations)
            {
                if (pattern != "*" && (pattern.Count(c => c == '/') != 1 || pattern.StartsWith('/') || pattern.EndsWith('/')
                                       || (pattern.Contains('*', StringComparison.Ordinal) && !pattern.EndsWith("/*", StringComparison.Ordinal))))
                {
                    errors.Add($"{at}:Operations: '{pattern}' must be *, Service/* or Service/Method");
                }
            }
        }

        var thumbprints = options.Clients.Values.Where(c => c is not null)
            .SelectMany(c => c.CertificateThumbprints.Select(ClientRights.NormaliseThumbprint))
            .GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (thumbprints.Count > 0)
        {
            errors.Add($"Security:Clients: certificate thumbprint(s) registered for more than one client: {string.Join(", ", thumbprints)}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
