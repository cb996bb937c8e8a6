using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Inbound;

/// <summary>The inbound topic: records keyed by the receiving agency, appended durably (acks=all, idempotent producer).</summary>
public interface IInboundLog
{
    /// <summary>Appends the records; completes when every one is durable. Throws <see cref="HubException"/> (Unavailable) otherwise.</summary>
    Task AppendAsync(IReadOnlyCollection<InboundRecord> records, CancellationToken cancellationToken);
}

/// <summary>
/// Small keyed state the inbound flow persists (pull cursors, seen dossiers, subscriber positions, postal cursor,
/// catalogue): durable before a write completes, readable by every instance. Values are opaque bytes.
/// </summary>
public interface IInboundState
{
    byte[]? Get(string table, string key);

    /// <summary>Entries of <paramref name="table"/> (small tables only: cursors, catalogue).</summary>
    IEnumerable<KeyValuePair<string, byte[]>> Scan(string table);

    /// <summary>Writes durably, then applies locally (read-your-writes). A null value deletes.</summary>
    Task PutAsync(string table, IReadOnlyCollection<KeyValuePair<string, byte[]?>> entries, CancellationToken cancellationToken);

    /// <summary>Completes once this instance has applied everything written before the call (e.g. by another instance).</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);
}

/// <summary>Where attachments live (claim-check): stored once, content-addressed by SHA-256.</summary>
public interface IAttachmentStore
{
    /// <summary>Stores <paramref name="content"/> (idempotent) and returns its hex SHA-256.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The content stored under <paramref name="sha256"/>, or null.</summary>
    Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken);
}

/// <summary>Which receiving agencies this hub instance pulls for now (one instance per agency at a time).</summary>
public interface IAgencyOwnership
{
    /// <summary>
    /// Starts a run for <paramref name="agency"/> when this instance owns it: the lease holds ownership until disposed
    /// (a hand-over to another instance waits for it). Null when another instance owns the agency.
    /// </summary>
    Task<IDisposable?> TryLeaseAsync(string agency, CancellationToken cancellationToken);
}

/// <summary>One item's outcome in a push answer.</summary>
public sealed record InboundItemResult(string? MaHoSo, string Status, string? Error)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Invalid = "invalid";

    /// <summary>The answer's message: <c>2 accepted, 1 duplicate, 0 invalid</c>.</summary>
    public static string Summary(IReadOnlyCollection<InboundItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return FormattableString.Invariant(
            $"{results.Count(r => r.Status == Accepted)} accepted, {results.Count(r => r.Status == Duplicate)} duplicate, {results.Count(r => r.Status == Invalid)} invalid");
    }
}

/// <summary>A message handed to a subscriber.</summary>
/// <param name="DeliveryId">Stable id of this message in its agency's stream; what the subscriber acknowledges.</param>
public sealed record InboundDelivery(string DeliveryId, InboundRecord Record);

/// <summary>Delivery of the inbound topic to the one-stop systems that own the agencies.</summary>
public interface IInboundSubscriptions
{
    /// <summary>
    /// Every message for <paramref name="agencies"/> that <paramref name="client"/> has not acknowledged, in order per
    /// agency, then new ones as they arrive, until cancelled. At most <paramref name="window"/> unacknowledged at a time.
    /// </summary>
    IAsyncEnumerable<InboundDelivery> SubscribeAsync(string client, IReadOnlyCollection<string> agencies, int window, CancellationToken cancellationToken);

    /// <summary>The next up to <paramref name="max"/> unacknowledged messages (for systems that cannot hold a stream).</summary>
    Task<IReadOnlyList<InboundDelivery>> FetchAsync(string client, IReadOnlyCollection<string> agencies, int max, CancellationToken cancellationToken);

    /// <summary>Records the acknowledgements durably; a confirmed acknowledgement is never delivered again.</summary>
    Task AckAsync(string client, IReadOnlyCollection<DeliveryId> ids, CancellationToken cancellationToken);

    /// <summary>The record a delivery id names (its agency's, at its partition and offset), or null when there is none.</summary>
    Task<InboundRecord?> ReadAsync(DeliveryId id, CancellationToken cancellationToken);
}

/// <summary>A parsed delivery id: <c>{agency}/{partition}/{offset}</c>.</summary>
public readonly record struct DeliveryId(string Agency, int Partition, long Offset)
{
    public override string ToString() => FormattableString.Invariant($"{Agency}/{Partition}/{Offset}");

    public static bool TryParse(string? text, out DeliveryId id)
    {
        id = default;
        var parts = text?.Split('/');
        if (parts is not { Length: 3 } || parts[0].Length == 0
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }

        id = new DeliveryId(parts[0], partition, offset);
        return true;
    }
}
