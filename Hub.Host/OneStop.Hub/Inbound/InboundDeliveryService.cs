using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Inbound;

/// <summary>
/// The one-stop systems' side of the inbound flow, transport-free: which agencies a caller may receive (its agency
/// rights in <c>Security:Clients</c>), the subscription, fetch and acknowledgement, and the evidence of every
/// delivery to a subscriber and every acknowledgement.
/// </summary>
public sealed class InboundDeliveryService(
    IInboundSubscriptions subscriptions, IAttachmentStore attachments, IAccessPolicy access, ICallerAccessor caller, IOptions<InboundOptions> options,
    IEvidenceRecorder evidence, TimeProvider time)
{
    public const string SubscribeOperation = "InboundService/Subscribe";
    public const string FetchOperation = "InboundService/Fetch";
    public const string AckOperation = "InboundService/Ack";
    public const string AttachmentOperation = "InboundService/GetAttachment";
    public const int MaxFetch = 500;

    public async IAsyncEnumerable<InboundDelivery> SubscribeAsync(IReadOnlyCollection<string> requested, int window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (client, agencies) = Resolve(requested);
        var size = window <= 0 ? options.Value.SubscribeWindow : Math.Min(window, 10_000);
        await foreach (var delivery in subscriptions.SubscribeAsync(client, agencies, size, cancellationToken).ConfigureAwait(false))
        {
            await RecordAsync(client, SubscribeOperation, delivery).ConfigureAwait(false);
            yield return delivery;
        }
    }

    public async Task<IReadOnlyList<InboundDelivery>> FetchAsync(IReadOnlyCollection<string> requested, int max, CancellationToken cancellationToken)
    {
        if (max is < 0 or > MaxFetch)
        {
            throw HubException.Invalid("max_messages", $"must be from 1 to {MaxFetch} (0 = 100)");
        }

        var (client, agencies) = Resolve(requested);
        var batch = await subscriptions.FetchAsync(client, agencies, max == 0 ? 100 : max, cancellationToken).ConfigureAwait(false);
        foreach (var delivery in batch)
        {
            await RecordAsync(client, FetchOperation, delivery).ConfigureAwait(false);
        }

        return batch;
    }

    public async Task<int> AckAsync(IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        var client = caller.ClientId ?? throw new HubException(HubErrorKind.Unauthenticated, "the caller is not a registered client");
        if (deliveryIds.Count == 0)
        {
            throw HubException.Invalid("delivery_ids", "required: at least one delivery id");
        }

        var ids = new List<DeliveryId>(deliveryIds.Count);
        for (var i = 0; i < deliveryIds.Count; i++)
        {
            if (!DeliveryId.TryParse(deliveryIds[i], out var id))
            {
                throw HubException.Invalid(FormattableString.Invariant($"delivery_ids[{i}]"), "must be a delivery_id as received ({agency}/{partition}/{offset})");
            }

            access.CheckDossier(client, null, id.Agency).Demand();
            ids.Add(id);
        }

        await subscriptions.AckAsync(client, ids, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            await evidence.RecordAsync(new ExchangeRecord
            {
                Client = client, Operation = AckOperation, Time = time.GetUtcNow(), Outcome = "ok", RequestId = id.ToString(),
            }, CancellationToken.None).ConfigureAwait(false);
        }

        return ids.Count;
    }

    /// <summary>
    /// A file of a message the caller received: the message is named by its delivery id (so the rights check is the
    /// agency's, and the hub reads that one record, not an index of every file), the file by its SHA-256 in the
    /// message. Throws NOT_FOUND when the message does not carry that file or the store lacks it.
    /// </summary>
    public async Task<(InboundDocument Document, Stream Content)> OpenAttachmentAsync(string deliveryId, string sha256, CancellationToken cancellationToken)
    {
        var client = caller.ClientId ?? throw new HubException(HubErrorKind.Unauthenticated, "the caller is not a registered client");
        if (!DeliveryId.TryParse(deliveryId, out var id))
        {
            throw HubException.Invalid("delivery_id", "must be a delivery_id as received ({agency}/{partition}/{offset})");
        }

        if (string.IsNullOrWhiteSpace(sha256) || sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw HubException.Invalid("sha256", "must be the file's sha256 as the message gives it (64 lower-case hex digits)");
        }

        access.CheckDossier(client, null, id.Agency).Demand();
        var record = await subscriptions.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        var document = record?.Dossier?.TaiLieuNop.FirstOrDefault(d => d.Sha256 == sha256);
        Stream? content = document is null ? null : await attachments.OpenAsync(sha256, cancellationToken).ConfigureAwait(false);
        await evidence.RecordAsync(new ExchangeRecord
        {
            Client = client,
            Operation = AttachmentOperation,
            Time = time.GetUtcNow(),
            Outcome = content is null ? "not_found" : "delivered",
            RequestId = id.ToString(),
            ResponseDigest = content is null ? null : sha256,
            MaHoSo = record?.Dossier?.MaHoSo,
        }, CancellationToken.None).ConfigureAwait(false);
        return content is null
            ? throw new HubException(HubErrorKind.NotFound, "the message named by delivery_id carries no stored file with this sha256")
            : (document!, content);
    }

    private (string Client, IReadOnlyCollection<string> Agencies) Resolve(IReadOnlyCollection<string> requested)
    {
        var client = caller.ClientId ?? throw new HubException(HubErrorKind.Unauthenticated, "the caller is not a registered client");
        var agencies = requested.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (agencies.Count == 0)
        {
            var rights = access.Find(client);
            agencies = [.. options.Value.Agencies.Where(a => rights?.MayUseAgency(a) == true)];
            if (agencies.Count == 0)
            {
                throw HubException.Invalid("agencies", "required: name the agencies (MaDonVi) to receive; none of Inbound:Agencies is yours");
            }
        }

        foreach (var agency in agencies)
        {
            if (agency.Contains('/', StringComparison.Ordinal))
            {
                throw HubException.Invalid("agencies", "an agency code (MaDonVi) has no '/'");
            }

            access.CheckDossier(client, null, agency).Demand();
        }

        return (client, agencies);
    }

    private ValueTask RecordAsync(string client, string operation, InboundDelivery delivery) =>
        evidence.RecordAsync(new ExchangeRecord
        {
            Client = client,
            Operation = operation,
            Time = time.GetUtcNow(),
            Outcome = "delivered",
            RequestId = delivery.DeliveryId,
            ResponseDigest = ExchangeRecord.Digest(JsonSerializer.SerializeToUtf8Bytes(delivery.Record, InboundJson.Default.InboundRecord)),
            MaHoSo = delivery.Record.Dossier?.MaHoSo ?? delivery.Record.PostalTracking?.MaHoSo,
        }, CancellationToken.None);
}
