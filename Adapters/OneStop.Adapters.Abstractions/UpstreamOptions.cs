using System.ComponentModel.DataAnnotations;
using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>
/// How the hub reaches one upstream system: bound from <c>Upstreams:&lt;Name&gt;</c>.
/// Every duration is validated at start-up; a misconfigured hub refuses to start.
/// </summary>
public sealed class UpstreamOptions
{
    /// <summary>Base address of the upstream. Required: the hub never falls back to the fakes (only the demo launcher starts them).</summary>
    [Required(ErrorMessage = "required: the upstream's address (the fakes from mocks/ start only with the demo launcher, Hub.Host/OneStop.Hub.Demo)")]
    public Uri? BaseUrl { get; set; }

    /// <summary>Path of the business operation, relative to <see cref="BaseUrl"/>; empty = the adapter's documented default, or the upstream definition's <c>endpoint</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// Fixed values the request mapping can read under <c>upstream.*</c>, e.g. the integration codes
    /// (MaDVC, MaTichHop) a national system issued to this province.
    /// </summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How the hub authenticates: <c>ClientCredentials</c> (OAuth2 bearer token from <see cref="TokenPath"/>, the default)
    /// or <c>None</c>. With client credentials, <see cref="ClientId"/> and <see cref="ClientSecret"/> are required.
    /// </summary>
    public UpstreamAuthMode Auth { get; set; } = UpstreamAuthMode.ClientCredentials;

    /// <summary>OAuth2 client-credentials token endpoint, relative to <see cref="BaseUrl"/>.</summary>
    [Required]
    public string TokenPath { get; set; } = "/token";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Renew a token this long before it expires.</summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan TokenRenewBefore { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one attempt may take.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a whole call, retries included, may take.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Share of failed calls in the sampling window that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the circuit can open.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    [TimeSpanRange("00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit rejects calls before it lets one through to test the upstream.</summary>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Calls to this upstream in flight at once; more wait in a queue of <see cref="QueueLimit"/>.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = 32;

    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 256;
}
