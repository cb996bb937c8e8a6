namespace OneStop.Adapters;

/// <summary>How an upstream call failed, as far as a caller of the hub can act on it.</summary>
public enum UpstreamFailure
{
    /// <summary>Down, refusing connections, answering 5xx, or its circuit is open. Worth retrying later.</summary>
    Unavailable,

    /// <summary>No answer within the configured time.</summary>
    Timeout,

    /// <summary>Answered, but not in the documented shape.</summary>
    MalformedReply,

    /// <summary>Answered with an error about the request itself (4xx, or an error code in the body).</summary>
    Rejected,
}

/// <summary>A failed upstream call. Messages never carry personal data: they name the upstream and the reason.</summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException(string upstream, UpstreamFailure failure, string reason, Exception? inner = null)
        : base($"upstream {upstream} {Describe(failure)}: {reason}", inner)
    {
        Upstream = upstream;
        Failure = failure;
        Reason = reason;
    }

    public UpstreamException()
        : this("unknown", UpstreamFailure.Unavailable, "unspecified")
    {
    }

    public UpstreamException(string message)
        : this("unknown", UpstreamFailure.Unavailable, message)
    {
    }

    public UpstreamException(string message, Exception innerException)
        : this("unknown", UpstreamFailure.Unavailable, message, innerException)
    {
    }

    public string Upstream { get; }

    public UpstreamFailure Failure { get; }

    public string Reason { get; }

    private static string Describe(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.Unavailable => "is unavailable",
        UpstreamFailure.Timeout => "did not answer in time",
        UpstreamFailure.MalformedReply => "returned a malformed reply",
        UpstreamFailure.Rejected => "rejected the request",
        _ => "failed",
    };
}
