using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using OneStop.Adapters.Internal;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using OneStop.Mappings;
using Polly.Timeout;

namespace OneStop.Adapters;

/// <summary>
/// One upstream system as the adapters see it: an HTTP client with an OAuth2 token, behind the
/// upstream's resilience pipeline (concurrency limit, total timeout, retry with jitter, circuit
/// breaker, attempt timeout). Every failure leaves as an <see cref="UpstreamException"/>.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly OAuthTokenClient _tokens;
    private readonly ResiliencePipeline _pipeline;
    private readonly UpstreamOptions _options;

    internal UpstreamClient(string name, HttpClient http, UpstreamOptions options, ResiliencePipeline pipeline, TimeProvider time)
    {
        Name = name;
        _http = http;
        _options = options;
        _pipeline = pipeline;
        _tokens = new OAuthTokenClient(name, http, options, time);
    }

    public string Name { get; }

    public UpstreamOptions Options => _options;

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends the request built by <paramref name="buildRequest"/> (called again for each attempt), authenticated as
    /// <see cref="UpstreamOptions.Auth"/> says, reads the reply as JSON and hands it to <paramref name="interpret"/>,
    /// all inside the resilience pipeline. HTTP 5xx, 408 and 429 are the upstream being unavailable; other statuses
    /// outside 2xx are it refusing the request. With client credentials a 401 renews the token once and repeats the request.
    /// </summary>
    public Task<T> CallJsonAsync<T>(
        Func<HttpRequestMessage> buildRequest,
        Func<JsonNode, T> interpret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interpret);
        return CallAsync(buildRequest, (status, body) =>
        {
            EnsureSuccess(status);
            return interpret(ParseJson(body));
        }, cancellationToken);
    }

    /// <summary>
    /// As <see cref="CallJsonAsync"/>, but <paramref name="interpret"/> gets every reply as it came, status and body
    /// (a SOAP fault arrives as HTTP 500 with a body worth reading); call <see cref="EnsureSuccess"/> for the usual rules.
    /// </summary>
    public async Task<T> CallAsync<T>(
        Func<HttpRequestMessage> buildRequest,
        Func<HttpStatusCode, byte[], T> interpret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buildRequest);
        ArgumentNullException.ThrowIfNull(interpret);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ct =>
                {
                    var (status, body) = await SendAuthorizedAsync(buildRequest, ct).ConfigureAwait(false);
                    return interpret(status, body);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (UpstreamException)
        {
            throw;
        }
        catch (BrokenCircuitException e)
        {
            throw new UpstreamException(Name, UpstreamFailure.Unavailable,
                $"circuit is open after repeated failures; calls resume on their own within {_options.BreakerBreakDuration.TotalSeconds:0.#} s", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new UpstreamException(Name, UpstreamFailure.Timeout, $"no answer within {e.Timeout.TotalSeconds:0.###} s", e);
        }
        catch (RateLimiterRejectedException e)
        {
            throw new UpstreamException(Name, UpstreamFailure.Unavailable,
                $"more than {_options.MaxConcurrency} calls in flight and {_options.QueueLimit} waiting", e);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw new UpstreamException(Name, UpstreamFailure.Unavailable, $"connection failed ({Describe(e)})", e);
        }
    }

    /// <summary>HTTP 5xx, 408 and 429: unavailable (retried); any other status outside 2xx: the upstream refused the request.</summary>
    public void EnsureSuccess(HttpStatusCode status)
    {
        var code = (int)status;
        if (code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new UpstreamException(Name, UpstreamFailure.Unavailable, $"answered HTTP {code}");
        }

        if (code is < 200 or > 299)
        {
            throw new UpstreamException(Name, UpstreamFailure.Rejected, $"answered HTTP {code}");
        }
    }

    /// <summary>The body as JSON; a malformed reply when it is not.</summary>
    public JsonNode ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw new UpstreamException(Name, UpstreamFailure.MalformedReply, "reply body is JSON null");
        }
        catch (JsonException e)
        {
            throw new UpstreamException(Name, UpstreamFailure.MalformedReply,
                $"reply body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine})", e);
        }
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> SendAuthorizedAsync(Func<HttpRequestMessage> buildRequest, CancellationToken ct)
    {
        if (_options.Auth == UpstreamAuthentication.None)
        {
            return await SendAsync(buildRequest, token: null, ct).ConfigureAwait(false);
        }

        var token = await _tokens.GetAsync(ct).ConfigureAwait(false);
        var reply = await SendAsync(buildRequest, token, ct).ConfigureAwait(false);
        if (reply.Status != HttpStatusCode.Unauthorized)
        {
            return reply;
        }

        _tokens.Invalidate(token);
        token = await _tokens.GetAsync(ct).ConfigureAwait(false);
        reply = await SendAsync(buildRequest, token, ct).ConfigureAwait(false);
        if (reply.Status == HttpStatusCode.Unauthorized)
        {
            throw new UpstreamException(Name, UpstreamFailure.Unavailable, "refused a freshly issued token (HTTP 401)");
        }

        return reply;
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(Func<HttpRequestMessage> buildRequest, string? token, CancellationToken ct)
    {
        using var request = buildRequest();
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return (response.StatusCode, body);
    }

    /// <summary>Failures worth another attempt: the connection broke, the upstream was busy, or an attempt timed out.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        UpstreamException u => u.Failure is UpstreamFailure.Unavailable or UpstreamFailure.Timeout,
        TimeoutRejectedException => true,
        _ => IsConnectionFailure(e),
    };

    /// <summary>Failures that count against the upstream's circuit: transient ones and malformed replies.</summary>
    internal static bool CountsAgainstUpstream(Exception e) =>
        IsTransient(e) || e is UpstreamException { Failure: UpstreamFailure.MalformedReply };

    // HttpClient sometimes surfaces a reset as a bare SocketException or IOException rather than HttpRequestException.
    private static bool IsConnectionFailure(Exception e) => e is HttpRequestException or IOException or SocketException;

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException h when h.HttpRequestError != HttpRequestError.Unknown => h.HttpRequestError.ToString(),
        HttpRequestException { InnerException: { } inner } => Describe(inner),
        SocketException s => s.SocketErrorCode.ToString(),
        IOException { InnerException: SocketException s } => s.SocketErrorCode.ToString(),
        _ => e.GetType().Name,
    };

    /// <summary>Adds the upstream's strategies, outermost first.</summary>
    internal static void ConfigurePipeline(ResiliencePipelineBuilder builder, UpstreamOptions o)
    {
        builder.AddConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = o.MaxConcurrency, QueueLimit = o.QueueLimit })
            .AddTimeout(o.TotalTimeout);
        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                MaxRetryAttempts = o.MaxRetries,
                Delay = o.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && CountsAgainstUpstream(e)),
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerBreakDuration,
            })
            .AddTimeout(o.AttemptTimeout);
    }
}
