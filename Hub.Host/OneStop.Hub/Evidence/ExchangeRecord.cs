using System.Security.Cryptography;
using System.Text;

namespace OneStop.Hub.Evidence;

/// <summary>
/// What one exchange leaves as evidence: who, what, why, when, how it ended, and digests of what went in and
/// out. Digests only, never the data itself: the record proves what was exchanged without holding citizens' data.
/// </summary>
public sealed record ExchangeRecord
{
    /// <summary>Client id of the caller (the provincial system), or <c>hub</c> for the hub's own work (deliveries, jobs).</summary>
    public required string Client { get; init; }

    /// <summary>Operation, e.g. <c>LookupService/VerifyCitizen</c>, <c>Delivery/emc</c>, <c>Admin/ReplayParked</c>, <c>Mappings/Swap</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>Purpose the caller declared (muc_dich), when it declared one.</summary>
    public string? Purpose { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>ok, not_found, invalid_argument, unavailable, … (the transport-neutral outcome).</summary>
    public required string Outcome { get; init; }

    /// <summary>Hex SHA-256 of the canonical request.</summary>
    public string? RequestDigest { get; init; }

    /// <summary>Hex SHA-256 of the canonical response, when there was one.</summary>
    public string? ResponseDigest { get; init; }

    /// <summary>Mapping id@version used, when one was.</summary>
    public string? MappingVersion { get; init; }

    /// <summary>Upstream system involved, when one was.</summary>
    public string? Upstream { get; init; }

    /// <summary>Request id (MaYeuCau) or event id that ties this record to logs and upstream records.</summary>
    public string? RequestId { get; init; }

    /// <summary>Dossier the exchange concerns (MaHoSo), when it concerns one.</summary>
    public string? MaHoSo { get; init; }

    /// <summary>Hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Digest(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Hex SHA-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Digest(string text) => Digest(Encoding.UTF8.GetBytes(text ?? ""));
}

/// <summary>
/// Keeps evidence of exchanges. The hub calls it once per exchange, after the outcome is known, and awaits it before
/// it answers: the task completes when the record is durable, and fails with
/// <see cref="EvidenceNotRecordedException"/> when it could not be made so. Safe to call concurrently; concurrent
/// records share writes (group commit).
/// </summary>
public interface IEvidenceRecorder
{
    ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken);
}

/// <summary>Who is calling: set by the transport's authentication, read by the core. Transport-free.</summary>
public interface ICallerAccessor
{
    /// <summary>Client id of the authenticated caller, or null when the call is not authenticated.</summary>
    string? ClientId { get; }
}

/// <summary>
/// The evidence record of an exchange could not be made durable (the evidence store did not take it). The exchange
/// must not be answered as if it had been recorded: callers let this propagate, and the caller sees an error.
/// </summary>
public sealed class EvidenceNotRecordedException : Exception
{
    public EvidenceNotRecordedException()
    {
    }

    public EvidenceNotRecordedException(string message)
        : base(message)
    {
    }

    public EvidenceNotRecordedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
