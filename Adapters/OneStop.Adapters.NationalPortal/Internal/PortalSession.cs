using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Adapters.NationalPortal.Internal;

/// <summary>
/// The national portal's session login: <c>POST {TokenPath}</c> with header <c>dstcode</c> and
/// <c>{username, password}</c> answers <c>{error_code:0, session}</c>. The session travels in each call's body
/// (the adapter puts it there); the <c>dstcode</c> header goes on every call. One login is shared by concurrent
/// calls and kept until the portal refuses it with <see cref="SessionInvalidErrorCode"/>.
/// </summary>
internal sealed class PortalSession(UpstreamAuthContext context) : IUpstreamAuthentication
{
    /// <summary>The <c>error_code</c> the portal answers when a session is missing, unknown or expired.</summary>
    public const string SessionInvalidErrorCode = "-2";

    private readonly Lock _gate = new();
    private volatile string? _current;
    private Task<string>? _login;

    private string DstCode => context.Options.Parameters.GetValueOrDefault(NationalPortalRegistration.DstCodeParameter, "");

    /// <summary>
    /// The session in force, logging in when there is none. One login serves every caller waiting for it, and it
    /// runs to completion under its own deadline (the total timeout), not the attempt's: an attempt that times out
    /// while the login is under way gives up waiting, but the session the portal issued is kept for the next attempt
    /// instead of being thrown away and requested again.
    /// </summary>
    public async ValueTask<string> GetCredentialAsync(CancellationToken cancellationToken)
    {
        if (_current is { } session)
        {
            return session;
        }

        Task<string> login;
        lock (_gate)
        {
            if (_current is { } fresh)
            {
                return fresh;
            }

            login = _login ??= Task.Run(LoginOnceAsync, CancellationToken.None);
        }

        return await login.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> LoginOnceAsync()
    {
        try
        {
            using var deadline = new CancellationTokenSource(context.Options.TotalTimeout, context.Time);
            var session = await LoginAsync(deadline.Token).ConfigureAwait(false);
            _current = session;
            return session;
        }
        finally
        {
            lock (_gate)
            {
                _login = null;
            }
        }
    }

    public void Apply(HttpRequestMessage request, string credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(NationalPortalRegistration.DstCodeParameter);
        request.Headers.TryAddWithoutValidation(NationalPortalRegistration.DstCodeParameter, DstCode);
    }

    public bool IsRefused(JsonNode reply) =>
        reply is JsonObject body && UpstreamRequests.CodeText(body["error_code"]) == SessionInvalidErrorCode;

    public void Invalidate(string credential) => Interlocked.CompareExchange(ref _current, null, credential);

    private async Task<string> LoginAsync(CancellationToken cancellationToken)
    {
        var upstream = context.Upstream;
        var credentials = new JsonObject { ["username"] = context.Options.ClientId, ["password"] = context.Options.ClientSecret };
        using var request = new HttpRequestMessage(HttpMethod.Post, context.Options.TokenPath)
        {
            Content = JsonContent.Create(credentials, PortalJson.Default.JsonObject),
        };
        Apply(request, "");
        using var response = await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable, $"session login answered HTTP {(int)response.StatusCode}");
        }

        JsonObject? reply;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            reply = JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, "session login reply is not JSON", e);
        }

        var code = UpstreamRequests.CodeText(reply?["error_code"]);
        if (reply is null || code is null)
        {
            throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, "session login reply has no error_code");
        }

        if (code != "0")
        {
            // A refused login is the hub's configuration, not one dossier: retry later, never park.
            throw new UpstreamException(upstream, UpstreamFailure.Unavailable,
                $"the portal refused the hub's login (error_code {code}: {UpstreamRequests.Brief(reply["message"]?.ToString())}); " +
                $"check Upstreams:{upstream}:ClientId/ClientSecret and Parameters:{NationalPortalRegistration.DstCodeParameter}");
        }

        return reply["session"] is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() is { Length: > 0 } session
            ? session
            : throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, "session login reply has no session");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class PortalJson : System.Text.Json.Serialization.JsonSerializerContext;
