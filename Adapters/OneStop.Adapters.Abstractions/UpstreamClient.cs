using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using OneStop.Adapters.Internal;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OneStop.Adapters;

/// <summary>
/// One upstream system as the adapters see it: an HTTP client with a credential (an OAuth2 token unless the
/// upstream was registered with another <see cref="IUpstreamAuthentication"/>), behind the upstream's
/// resilience pipeline (concurrency limit, total timeout, retry with jitter, circuit breaker, attempt
/// timeout). Every failure leaves as an <see cref="UpstreamException"/>.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IUpstreamAuthentication _auth;
    private readonly ResiliencePipeline _pipeline;
    private readonly UpstreamOptions _options;

    internal UpstreamClient(string name, HttpClient http, UpstreamOptions options, ResiliencePipeline pipeline, IUpstreamAuthentication authentication)
    {
        Name = name;
        _http = http;
        _options = options;
        _pipeline = pipeline;
        _auth = authentication;
    }

    public string Name { get; }

    public UpstreamOptions Options => _options;

    /// <summary>The resilience pipeline every call goes through (for tests of its lifetime).</summary>
    internal ResiliencePipeline Pipeline => _pipeline;

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends the request built by <paramref name="buildRequest"/> (called again for each attempt) with the
    /// upstream's credential, reads the reply as JSON and hands it to <paramref name="interpret"/>, all inside
    /// the resilience pipeline. A refused credential is renewed once and the request repeated.
    /// </summary>
    public Task<T> CallJsonAsync<T>(
        Func<HttpRequestMessage> buildRequest,
        Func<JsonNode, T> interpret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buildRequest);
        return CallJsonAsync(_ => buildRequest(), interpret, cancellationToken);
    }

    /// <summary>
    /// As <see cref="CallJsonAsync{T}(Func{HttpRequestMessage}, Func{JsonNode, T}, CancellationToken)"/>, for
    /// upstreams that carry the credential in the request itself (the national portal's <c>session</c>):
    /// <paramref name="buildRequest"/> receives the credential in force for that attempt.
    /// </summary>
    public Task<T> CallJsonAsync<T>(
        Func<string, HttpRequestMessage> buildRequest,
        Func<JsonNode, T> interpret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interpret);
        return CallAsync(buildRequest, reply =>
        {
            EnsureSuccess(reply.Status);
            return interpret(reply.Json ?? ParseJson(reply.Body));
        }, cancellationToken);
    }

    /// <summary>
    /// As <see cref="CallJsonAsync{T}(Func{HttpRequestMessage}, Func{JsonNode, T}, CancellationToken)"/>, but
    /// <paramref name="interpret"/> gets every reply as it came, status and body (a SOAP fault arrives as HTTP 500
    /// with a body worth reading); call <see cref="EnsureSuccess"/> for the usual rules.
    /// </summary>
    public Task<T> CallAsync<T>(
        Func<HttpRequestMessage> buildRequest,
        Func<HttpStatusCode, byte[], T> interpret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buildRequest);
        ArgumentNullException.ThrowIfNull(interpret);
        return CallAsync(_ => buildRequest(), reply => interpret(reply.Status, reply.Body), cancellationToken);
    }

    /// <summary>The call as a span (<c>upstream {name}</c>) whose status is the failure kind, never its message.</summary>
    private async Task<T> CallAsync<T>(
        Func<string, HttpRequestMessage> buildRequest,
        Func<Reply, T> interpret,
        CancellationToken cancellationToken)
    {
        using var activity = UpstreamActivities.StartCall(Name);
        try
        {
            return await CallThroughPipelineAsync(buildRequest, interpret, cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamException e)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Failure.ToString());
            throw;
        }
    }

    private async Task<T> CallThroughPipelineAsync<T>(
        Func<string, HttpRequestMessage> buildRequest,
        Func<Reply, T> interpret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buildRequest);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ct =>
                {
                    var reply = await SendAuthorizedAsync(buildRequest, ct).ConfigureAwait(false);
                    return interpret(reply);
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

    /// <summary>One reply: status, body, and the body as JSON when it was a 2xx JSON reply (already parsed for the refusal check).</summary>
    private sealed record Reply(HttpStatusCode Status, byte[] Body, JsonNode? Json);

    private async Task<Reply> SendAuthorizedAsync(Func<string, HttpRequestMessage> buildRequest, CancellationToken ct)
    {
        var credential = await _auth.GetCredentialAsync(ct).ConfigureAwait(false);
        var reply = await SendAsync(buildRequest, credential, ct).ConfigureAwait(false);
        if (reply is not null)
        {
            return reply;
        }

        _auth.Invalidate(credential);
        credential = await _auth.GetCredentialAsync(ct).ConfigureAwait(false);
        return await SendAsync(buildRequest, credential, ct).ConfigureAwait(false)
            ?? throw new UpstreamException(Name, UpstreamFailure.Unavailable, "refused a freshly issued credential");
    }

    /// <summary>The reply, or null when the upstream refused the credential (HTTP 401, or a refusal the scheme sees in a JSON body).</summary>
    private async Task<Reply?> SendAsync(Func<string, HttpRequestMessage> buildRequest, string credential, CancellationToken ct)
    {
        using var request = buildRequest(credential);
        _auth.Apply(request, credential);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || !IsJson(response))
        {
            return new Reply(response.StatusCode, body, null);
        }

        var json = ParseJson(body);
        return _auth.IsRefused(json) ? null : new Reply(response.StatusCode, body, json);
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is not { } media || media.Contains("json", StringComparison.OrdinalIgnoreCase);

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
    internal static void ConfigurePipeline(ResiliencePipelineBuilder builder, UpstreamOptions o, CircuitBreakerStateProvider? breakerState = null)
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
                StateProvider = breakerState,
            })
            .AddTimeout(o.AttemptTimeout);
    }
}
