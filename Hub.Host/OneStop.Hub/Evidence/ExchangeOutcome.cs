namespace OneStop.Hub.Evidence;

/// <summary>
/// The one vocabulary of exchange outcomes (evidence <c>outcome</c>, metric <c>outcome</c> tags, log lines), whatever
/// the transport: <c>ok</c>, the snake-case name of a <see cref="HubErrorKind"/> (<c>invalid_argument</c>,
/// <c>not_found</c>, <c>unavailable</c>, <c>timeout</c>, <c>upstream_malformed</c>, <c>upstream_rejected</c>,
/// <c>unauthenticated</c>, <c>permission_denied</c>, <c>resource_exhausted</c>), <c>cancelled</c>, <c>internal</c>,
/// and for a status no hub error maps to, the snake-case name of the canonical status code (<c>failed_precondition</c>, …).
/// </summary>
public static class ExchangeOutcome
{
    public const string Ok = "ok";

    public const string Cancelled = "cancelled";

    /// <summary>An unexpected failure inside the hub (answered as INTERNAL with an error id).</summary>
    public const string Internal = "internal";

    public static string Of(HubErrorKind kind) => kind switch
    {
        HubErrorKind.InvalidArgument => "invalid_argument",
        HubErrorKind.NotFound => "not_found",
        HubErrorKind.Unavailable => "unavailable",
        HubErrorKind.Timeout => "timeout",
        HubErrorKind.UpstreamMalformed => "upstream_malformed",
        HubErrorKind.UpstreamRejected => "upstream_rejected",
        HubErrorKind.Unauthenticated => "unauthenticated",
        HubErrorKind.PermissionDenied => "permission_denied",
        HubErrorKind.ResourceExhausted => "resource_exhausted",
        _ => Internal,
    };

    /// <summary>The outcome of an upstream call that failed (a lookup's, a delivery attempt's), in the same words as a lookup's.</summary>
    public static string Of(OneStop.Adapters.UpstreamFailure failure) => Of(HubException.KindOf(failure));

    /// <summary>
    /// The outcome of an exchange answered with a canonical status code (google.rpc.Code: the numbers of gRPC status
    /// codes, whose names the SOAP faults' <c>Code</c> also uses) that did not come from a <see cref="HubException"/>.
    /// </summary>
    public static string OfStatusCode(int code) => code switch
    {
        0 => Ok,
        1 => Cancelled,
        2 => Internal, // UNKNOWN
        3 => Of(HubErrorKind.InvalidArgument),
        4 => Of(HubErrorKind.Timeout), // DEADLINE_EXCEEDED
        5 => Of(HubErrorKind.NotFound),
        6 => "already_exists",
        7 => Of(HubErrorKind.PermissionDenied),
        8 => Of(HubErrorKind.ResourceExhausted),
        9 => "failed_precondition",
        10 => "aborted",
        11 => "out_of_range",
        12 => "unimplemented",
        13 => Internal,
        14 => Of(HubErrorKind.Unavailable),
        15 => "data_loss",
        16 => Of(HubErrorKind.Unauthenticated),
        _ => Internal,
    };
}
