using System.Text.Json.Nodes;
using OneStop.Adapters.Internal;
using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>
/// How one upstream authenticates the hub's calls. <see cref="UpstreamClient"/> asks for a credential before
/// each request, lets the scheme put it on the request, and when the upstream refuses it (HTTP 401, or a
/// refusal the scheme recognises in the reply body) drops it, fetches a new one and repeats the request once.
/// </summary>
public interface IUpstreamAuthentication
{
    /// <summary>
    /// A credential for the next call: cached and shared by concurrent calls, fetched when missing or due.
    /// Throws <see cref="UpstreamException"/> when the upstream will not issue one.
    /// </summary>
    ValueTask<string> GetCredentialAsync(CancellationToken cancellationToken);

    /// <summary>Puts the credential on the request (a bearer header). Schemes that carry it in the body do nothing here.</summary>
    void Apply(HttpRequestMessage request, string credential);

    /// <summary>Whether a successful (2xx) reply says the credential was refused, e.g. "session expired". HTTP 401 always is.</summary>
    bool IsRefused(JsonNode reply);

    /// <summary>Forgets a refused credential so the next <see cref="GetCredentialAsync"/> fetches a new one.</summary>
    void Invalidate(string credential);
}

/// <summary>What an authentication scheme may use: the upstream's name, HTTP client (with its base address), options and clock.</summary>
public sealed record UpstreamAuthContext(string Upstream, HttpClient Http, UpstreamOptions Options, TimeProvider Time);

/// <summary>The schemes the abstractions ship: OAuth2 client credentials (the default) and none.</summary>
public static class UpstreamAuthentication
{
    /// <summary>OAuth2 client credentials at <see cref="UpstreamOptions.TokenPath"/>, sent as <c>Authorization: Bearer</c>.</summary>
    public static IUpstreamAuthentication OAuth2ClientCredentials(UpstreamAuthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OAuthTokenClient(context.Upstream, context.Http, context.Options, context.Time);
    }

    /// <summary>The scheme <see cref="UpstreamOptions.Auth"/> names: client credentials (the default) or none.</summary>
    public static IUpstreamAuthentication FromOptions(UpstreamAuthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Options.Auth == UpstreamAuthMode.None ? None(context) : OAuth2ClientCredentials(context);
    }

    /// <summary>No credential at all (an upstream reached over a private link).</summary>
    public static IUpstreamAuthentication None(UpstreamAuthContext context) => NoAuthentication.Instance;

    private sealed class NoAuthentication : IUpstreamAuthentication
    {
        public static readonly NoAuthentication Instance = new();

        public ValueTask<string> GetCredentialAsync(CancellationToken cancellationToken) => ValueTask.FromResult(string.Empty);

        public void Apply(HttpRequestMessage request, string credential)
        {
        }

        public bool IsRefused(JsonNode reply) => false;

        public void Invalidate(string credential)
        {
        }
    }
}
