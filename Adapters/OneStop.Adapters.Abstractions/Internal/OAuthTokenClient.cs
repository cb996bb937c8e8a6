using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OneStop.Adapters.Internal;

/// <summary>
/// OAuth2 client-credentials tokens for one upstream: fetched once, shared by concurrent calls,
/// renewed shortly before expiry, and dropped when the upstream answers 401.
/// </summary>
internal sealed class OAuthTokenClient(string upstream, HttpClient http, UpstreamOptions options, TimeProvider time) : IUpstreamAuthentication
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _current;

    public void Apply(HttpRequestMessage request, string credential) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);

    /// <summary>OAuth2 upstreams refuse a token with HTTP 401 only.</summary>
    public bool IsRefused(JsonNode reply) => false;

    public async ValueTask<string> GetCredentialAsync(CancellationToken cancellationToken)
    {
        var token = _current;
        if (token is not null && !token.IsDue(time.GetUtcNow()))
        {
            return token.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            token = _current;
            if (token is not null && !token.IsDue(time.GetUtcNow()))
            {
                return token.Value;
            }

            token = await FetchAsync(cancellationToken).ConfigureAwait(false);
            _current = token;
            return token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="credential"/> so the next call fetches a new token (no-op when already renewed).</summary>
    public void Invalidate(string credential)
    {
        var token = _current;
        if (token is not null && token.Value == credential)
        {
            Interlocked.CompareExchange(ref _current, null, token);
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.TokenPath)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("grant_type", "client_credentials")]),
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable,
                $"token endpoint refused the hub's client credentials (HTTP {(int)response.StatusCode}); check Upstreams:{upstream}:ClientId/ClientSecret");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable, $"token endpoint answered HTTP {(int)response.StatusCode}");
        }

        TokenReply? reply;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            reply = JsonSerializer.Deserialize(body, TokenJson.Default.TokenReply);
        }
        catch (JsonException e)
        {
            throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, "token reply is not JSON", e);
        }

        if (reply is null || string.IsNullOrEmpty(reply.AccessToken))
        {
            throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, "token reply has no access_token");
        }

        var lifetime = TimeSpan.FromSeconds(Math.Max(reply.ExpiresIn, 1));
        var renewAt = time.GetUtcNow() + lifetime - TimeSpan.FromTicks(Math.Min(options.TokenRenewBefore.Ticks, lifetime.Ticks / 2));
        return new CachedToken(reply.AccessToken, renewAt);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt)
    {
        public bool IsDue(DateTimeOffset now) => now >= RenewAt;
    }
}

internal sealed record TokenReply
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; init; }
}

[JsonSerializable(typeof(TokenReply))]
internal sealed partial class TokenJson : JsonSerializerContext;
