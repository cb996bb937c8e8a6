using System.Text.Json;
using OneStop.Mocks.Internal;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace OneStop.Mocks;

/// <summary>
/// One fake national system: a WireMock server (answering from a <see cref="SyntheticDataset"/> for the
/// lookups), behind a loopback TCP relay that can reset connections. Serves the shared behaviour of
/// docs/adapters.md: <c>POST /token</c> (OAuth2 client credentials), Bearer checks on the business endpoints,
/// fault switches (<c>POST/GET/DELETE /__faults</c>) and the call counter (<c>GET/DELETE /__calls</c>).
/// </summary>
public abstract class MockServer : IAsyncDisposable
{
    /// <summary>The only client id the mocks accept.</summary>
    public const string DemoClientId = "onestop-hub";

    /// <summary>The only client secret the mocks accept.</summary>
    public const string DemoClientSecret = "onestop-hub-secret";

    private static readonly string MalformedSeed = """{"error_code":0,"message":"truncated""";

    private readonly SyntheticDataset? _data;
    private readonly TokenStore _tokens;
    private readonly CancellationTokenSource _stopping = new();
    private WireMockServer? _wireMock;
    private TcpFront? _front;
    private int _businessCalls;
    private long _tokenLifetimeTicks = TimeSpan.FromHours(1).Ticks;
    private int _stopped;

    private protected MockServer(string name, SyntheticDataset data, TimeProvider? timeProvider)
        : this(name, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
    }

    /// <summary>A mock that answers from no dataset: the destinations, which only record what they are sent.</summary>
    private protected MockServer(string name, TimeProvider? timeProvider)
    {
        Name = name;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _tokens = new TokenStore(TimeProvider);
        Faults = new FaultSwitches(_tokens.Clear);
    }

    /// <summary>Short system name: <c>population</c>, <c>business</c>, <c>insurance</c>, <c>land</c>, <c>portal</c>, <c>emc</c> or <c>postal</c>.</summary>
    public string Name { get; }

    /// <summary>The data a lookup mock answers from. Destination mocks (portal, EMC, postal) hold none.</summary>
    public SyntheticDataset Data => _data ?? throw new InvalidOperationException($"The {Name} mock is a destination: it answers from no dataset.");

    /// <summary>The clock for token expiry and card validity (latency faults use the wall clock).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The address clients use, e.g. <c>http://127.0.0.1:5091/</c>. Subject to <see cref="FaultSwitches.ConnectionReset"/>.</summary>
    public Uri Url => _front?.Url ?? throw new InvalidOperationException($"The {Name} mock has not started.");

    /// <summary>
    /// The WireMock server itself, bypassing the TCP relay: the same endpoints, but never reset. Use it to reach
    /// <c>/__faults</c> while <see cref="FaultSwitches.ConnectionReset"/> is on.
    /// </summary>
    public Uri ControlUrl => _wireMock is { } w ? new Uri(w.Url! + "/") : throw new InvalidOperationException($"The {Name} mock has not started.");

    /// <summary>The (main) business endpoint, e.g. <c>POST /api/dancu/xacthuc</c>.</summary>
    public string BusinessEndpoint => $"{BusinessMethod} {BusinessPath}";

    public FaultSwitches Faults { get; }

    /// <summary>How many business calls were answered (any status, including 401, 503 and malformed).</summary>
    public int BusinessCalls => Volatile.Read(ref _businessCalls);

    /// <summary>Lifetime of newly issued tokens (<c>expires_in</c>); 1 hour unless changed.</summary>
    public TimeSpan TokenLifetime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _tokenLifetimeTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            Interlocked.Exchange(ref _tokenLifetimeTicks, value.Ticks);
        }
    }

    /// <summary>Sets <see cref="BusinessCalls"/> back to 0.</summary>
    public void ResetBusinessCalls() => Interlocked.Exchange(ref _businessCalls, 0);

    private protected abstract string BusinessMethod { get; }

    private protected abstract string BusinessPath { get; }

    /// <summary>Answers one authorised business call.</summary>
    private protected abstract MockReply Answer(IRequestMessage request);

    /// <summary>
    /// Whether business calls need <c>Authorization: Bearer</c> with a token from <c>/token</c>. A mock with
    /// its own scheme (the portal's session in the body) says false and checks <see cref="IsCredentialValid"/> itself.
    /// </summary>
    private protected virtual bool RequiresBearer => true;

    /// <summary>More endpoints: further business operations (<see cref="MapBusinessCall"/>), logins, inspection.</summary>
    private protected virtual void MapMoreEndpoints(WireMockServer server)
    {
    }

    /// <summary>Serves <paramref name="method"/> <paramref name="path"/> as a business call: faults, auth and the call counter apply.</summary>
    private protected void MapBusinessCall(WireMockServer server, string method, string path, Func<IRequestMessage, MockReply> answer)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithCallback(request => BusinessCallAsync(request, answer)));
    }

    /// <summary>Issues a credential (token or session) valid for <see cref="TokenLifetime"/>; <c>expireTokens</c> forgets it.</summary>
    private protected string IssueCredential() => _tokens.Issue(TokenLifetime);

    private protected bool IsCredentialValid(string? credential) => credential is not null && _tokens.IsValid(credential);

    /// <summary>Starts WireMock on a free loopback port and the relay on 127.0.0.1:<paramref name="port"/> (0 = free port).</summary>
    private protected async Task StartCoreAsync(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var settings = new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            StartAdminInterface = false,
            Logger = new WireMockNullLogger(), // replies carry personal data: keep them off the console
            MaxRequestLogCount = 0,
            DisableJsonBodyParsing = true,
            DisableDeserializeFormUrlEncoded = true,
        };
        _wireMock = await Task.Run(() => WireMockServer.Start(settings)).ConfigureAwait(false);
        try
        {
            MapEndpoints(_wireMock);
            _front = TcpFront.Start(port, _wireMock.Port, () => Faults.ConnectionReset);
        }
        catch
        {
            _wireMock.Stop();
            _wireMock.Dispose();
            _wireMock = null;
            throw;
        }
    }

    private void MapEndpoints(WireMockServer server)
    {
        server.Given(Request.Create().WithPath("/token").UsingPost())
            .RespondWith(Response.Create().WithCallback(IssueToken));
        server.Given(Request.Create().WithPath("/__faults").UsingPost())
            .RespondWith(Response.Create().WithCallback(SetFaults));
        server.Given(Request.Create().WithPath("/__faults").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => FaultsReply()));
        server.Given(Request.Create().WithPath("/__faults").UsingDelete())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                Faults.Clear();
                return FaultsReply();
            }));
        server.Given(Request.Create().WithPath("/__calls").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => CallsReply()));
        server.Given(Request.Create().WithPath("/__calls").UsingDelete())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                ResetBusinessCalls();
                return CallsReply();
            }));
        MapBusinessCall(server, BusinessMethod, BusinessPath, Answer);
        MapMoreEndpoints(server);
    }

    private IResponseMessage IssueToken(IRequestMessage request)
    {
        if (!Http.TryBasicCredentials(request, out var id, out var secret)
            || !string.Equals(id, DemoClientId, StringComparison.Ordinal)
            || !string.Equals(secret, DemoClientSecret, StringComparison.Ordinal))
        {
            return Http.Json(401, """{"error":"invalid_client"}""", ("WWW-Authenticate", "Basic realm=\"onestop-mock\""));
        }

        var form = Http.Form(Http.Body(request));
        if (!form.TryGetValue("grant_type", out var grant) || !string.Equals(grant, "client_credentials", StringComparison.Ordinal))
        {
            return Http.Json(400, """{"error":"unsupported_grant_type"}""");
        }

        var lifetime = TokenLifetime;
        var token = _tokens.Issue(lifetime);
        return Http.Json(200, new TokenReply(token, "Bearer", (int)Math.Ceiling(lifetime.TotalSeconds)), WireJsonContext.Wire.TokenReply);
    }

    private async Task<IResponseMessage> BusinessCallAsync(IRequestMessage request, Func<IRequestMessage, MockReply> answer)
    {
        try
        {
            var latency = Faults.LatencyMs;
            if (latency > 0)
            {
                try
                {
                    await Task.Delay(latency, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return ServiceUnavailable();
                }
            }

            if (Faults.TryTake5xx())
            {
                return ServiceUnavailable();
            }

            if (RequiresBearer && (Http.BearerToken(request) is not { } token || !_tokens.IsValid(token)))
            {
                return Http.Json(401, """{"error":"invalid_token"}""", ("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            }

            MockReply reply;
            try
            {
                reply = answer(request);
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
            {
                return Http.Json(400, """{"error":"invalid_request"}""");
            }

            if (Faults.MalformedBody)
            {
                // Cut the real reply in half: an opened JSON object that never closes.
                var json = reply.Json.Length > 8 ? reply.Json[..(reply.Json.Length / 2)] : MalformedSeed;
                return Http.Json(200, json);
            }

            return Http.Json(reply);
        }
        finally
        {
            Interlocked.Increment(ref _businessCalls);
        }
    }

    private static IResponseMessage ServiceUnavailable() => Http.Json(503, """{"error":"service unavailable"}""");

    private IResponseMessage SetFaults(IRequestMessage request)
    {
        FaultsRequest? change;
        try
        {
            change = JsonSerializer.Deserialize(Http.Body(request), WireJsonContext.Wire.FaultsRequest);
        }
        catch (JsonException)
        {
            change = null;
        }

        if (change is null || change.LatencyMs < 0 || change.Status5xx < -1)
        {
            return Http.Json(400, """{"error":"expected {\"latencyMs\":int>=0,\"status5xx\":int>=-1,\"malformedBody\":bool,\"expireTokens\":bool,\"connectionReset\":bool}"}""");
        }

        if (change.LatencyMs is { } latency)
        {
            Faults.LatencyMs = latency;
        }

        if (change.Status5xx is { } count)
        {
            Faults.Status5xx = count;
        }

        if (change.MalformedBody is { } malformed)
        {
            Faults.MalformedBody = malformed;
        }

        if (change.ConnectionReset is { } reset)
        {
            Faults.ConnectionReset = reset;
        }

        if (change.ExpireTokens == true)
        {
            Faults.ExpireTokens();
        }

        return FaultsReply();
    }

    private IResponseMessage FaultsReply() => Http.Json(
        200,
        new FaultsState(Faults.LatencyMs, Faults.Status5xx, Faults.MalformedBody, Faults.ConnectionReset),
        WireJsonContext.Wire.FaultsState);

    private IResponseMessage CallsReply() => Http.Json(200, new CallsReply(BusinessCalls), WireJsonContext.Wire.CallsReply);

    /// <summary>Today in Viet Nam (UTC+7, no daylight saving) on <see cref="TimeProvider"/>.</summary>
    private protected DateOnly TodayInVietnam() =>
        DateOnly.FromDateTime(TimeProvider.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime);

    /// <summary>Stops the relay and the WireMock server. Safe to call more than once.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_front is not null)
        {
            await _front.DisposeAsync().ConfigureAwait(false);
        }

        if (_wireMock is not null)
        {
            _wireMock.Stop();
            _wireMock.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    public override string ToString() => _front is null ? $"{Name} (not started)" : $"{Name} {Url}";
}
