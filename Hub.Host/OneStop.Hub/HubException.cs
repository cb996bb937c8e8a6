namespace OneStop.Hub;

/// <summary>What went wrong, in terms a caller can act on. Each transport maps these to its own codes.</summary>
public enum HubErrorKind
{
    /// <summary>A field of the request breaks a rule (gRPC INVALID_ARGUMENT).</summary>
    InvalidArgument,

    /// <summary>The national system holds no such record (gRPC NOT_FOUND).</summary>
    NotFound,

    /// <summary>The upstream is down, refusing, or its circuit is open (gRPC UNAVAILABLE).</summary>
    Unavailable,

    /// <summary>The upstream did not answer in time (gRPC DEADLINE_EXCEEDED).</summary>
    Timeout,

    /// <summary>The upstream answered in a shape the hub cannot read (gRPC DATA_LOSS).</summary>
    UpstreamMalformed,

    /// <summary>The upstream refused the request for a reason of its own (gRPC FAILED_PRECONDITION).</summary>
    UpstreamRejected,

    /// <summary>The caller presented no valid credentials (gRPC UNAUTHENTICATED).</summary>
    Unauthenticated,

    /// <summary>The caller is known but lacks the right (operation, purpose, agency) (gRPC PERMISSION_DENIED).</summary>
    PermissionDenied,

    /// <summary>The caller used up its rate limit, or a message is over its size limit (gRPC RESOURCE_EXHAUSTED).</summary>
    ResourceExhausted,
}

/// <summary>
/// A failure the hub reports to its caller. Messages name the field and the rule or the upstream and the
/// reason; they never carry the submitted value, so they are safe to log and to return.
/// </summary>
public sealed class HubException : Exception
{
    public HubException(HubErrorKind kind, string message, string? field = null, string? upstream = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Field = field;
        Upstream = upstream;
    }

    public HubException()
        : this(HubErrorKind.InvalidArgument, "invalid request")
    {
    }

    public HubException(string message)
        : this(HubErrorKind.InvalidArgument, message)
    {
    }

    public HubException(string message, Exception innerException)
        : this(HubErrorKind.InvalidArgument, message, inner: innerException)
    {
    }

    public HubErrorKind Kind { get; }

    /// <summary>Canonical (lower snake case) name of the offending field, for <see cref="HubErrorKind.InvalidArgument"/>.</summary>
    public string? Field { get; }

    /// <summary>Upstream the failure came from, when it came from one.</summary>
    public string? Upstream { get; }

    public static HubException Invalid(string field, string rule) =>
        new(HubErrorKind.InvalidArgument, $"{field}: {rule}", field);

    /// <summary>What a failed upstream call means to the hub's caller: timeout, malformed reply, refusal, or unavailable.</summary>
    public static HubErrorKind KindOf(OneStop.Adapters.UpstreamFailure failure) => failure switch
    {
        OneStop.Adapters.UpstreamFailure.Timeout => HubErrorKind.Timeout,
        OneStop.Adapters.UpstreamFailure.MalformedReply => HubErrorKind.UpstreamMalformed,
        OneStop.Adapters.UpstreamFailure.Rejected => HubErrorKind.UpstreamRejected,
        _ => HubErrorKind.Unavailable,
    };
}
