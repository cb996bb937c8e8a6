using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Dossiers;

/// <param name="EventId">The hub's id for the event.</param>
/// <param name="Duplicate">True when this (client, client_event_id) was accepted before and nothing new was stored.</param>
public sealed record PublishResult(string EventId, bool Duplicate);

/// <summary>
/// The ingest half of the dossier flow: validate, give the event its stable id, append it to the durable
/// log (keyed by ma_ho_so), and only then answer. Transports (gRPC, SOAP) translate and call this.
/// </summary>
public sealed partial class DossierIngestService(
    IDossierEventLog log, IAccessPolicy access, TimeProvider time, Exchanges exchanges, ICallerAccessor caller,
    IEnumerable<Inbound.IProcedureCatalogue> catalogues, ILogger<DossierIngestService> logger)
{
    /// <summary>The hub's event id: the same for the same client and client_event_id, so a retry keeps its id.</summary>
    public static string EventIdFor(string client, string clientEventId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{client}\n{clientEventId}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <param name="published">The event as the client sent it; EventId, Client and AcceptedAt are set here.</param>
    public async Task<PublishResult> PublishAsync(DossierEvent published, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(published);
        var client = caller.ClientId ?? "anonymous";
        var outcome = ExchangeOutcome.Internal;
        var e = published with { Client = client, EventId = "", AcceptedAt = time.GetUtcNow() };
        try
        {
            DossierValidation.Validate(e);
            if (e.MaTthc is { Length: > 0 } maTthc && catalogues.Any(c => !c.Allows(maTthc)))
            {
                throw HubException.Invalid("ma_tthc", "is not in the national portal's procedure catalogue (Catalogue:Enforce is on)");
            }

            if (access.CheckDossier(caller.ClientId, e.MaHoSo, e.DonViXuLy) is { Allowed: false } denied)
            {
                throw new HubException(HubErrorKind.PermissionDenied, denied.Reason ?? "no right to this agency's dossiers");
            }

            e = e with { EventId = EventIdFor(client, e.ClientEventId) };
            if (log.Contains(e.EventId))
            {
                outcome = "duplicate";
                return new PublishResult(e.EventId, true);
            }

            await log.AppendAsync(e, cancellationToken).ConfigureAwait(false);
            outcome = ExchangeOutcome.Ok;
            LogAccepted(e.MaHoSo, e.TrangThaiHoSo, e.EventId);
            return new PublishResult(e.EventId, false);
        }
        catch (HubException ex)
        {
            outcome = ExchangeOutcome.Of(ex.Kind);
            throw;
        }
        finally
        {
            await exchanges.RecordAsync(new ExchangeRecord
            {
                Client = client,
                Operation = "DossierService/PublishEvent",
                Time = e.AcceptedAt,
                Outcome = outcome,
                RequestDigest = ExchangeRecord.Digest(JsonSerializer.SerializeToUtf8Bytes(published, CanonicalJson.Default.DossierEvent)),
                RequestId = e.EventId.Length > 0 ? e.EventId : null,
                MaHoSo = e.MaHoSo,
            }).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted dossier event {EventId} for {MaHoSo} (status {Status})")]
    private partial void LogAccepted(string maHoSo, int status, string eventId);
}
