using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Evidence;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Inbound;

/// <summary>
/// Where inbound dossiers enter the hub, pushed by the portal or pulled from it: validated, de-duplicated by
/// MaHoSo (a table of seen dossiers, persisted), attachments stored by digest (claim-check), appended to the inbound
/// topic keyed by the receiving agency, and only then answered. A dossier is marked seen after its record is
/// durable, so a crash in between can repeat it on the topic (same <c>message_id</c>) but never lose it.
/// </summary>
public sealed partial class InboundIntake(
    IInboundLog log, IInboundState state, IAttachmentStore attachments, InboundCatalogue catalogue, TimeProvider time, IEvidenceRecorder evidence,
    ILogger<InboundIntake> logger)
{
    /// <summary>State table of dossiers already accepted, keyed by MaHoSo.</summary>
    public const string SeenTable = "inbound-seen";

    public const string PushOperation = "InboundService/NhanHoSo";

    private const int Stripes = 64;
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Whether the dossier was accepted before (by push or pull, on any instance that wrote it durably).</summary>
    public bool IsKnown(string maHoSo) => state.Get(SeenTable, maHoSo) is not null;

    public static string MessageIdFor(string maHoSo) => $"dossier:{maHoSo}";

    /// <summary>The portal's push: one result per item, in order; answers only after Kafka acknowledged the accepted ones.</summary>
    public async Task<IReadOnlyList<InboundItemResult>> PushAsync(string client, IReadOnlyList<JsonNode?> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var now = time.GetUtcNow();
        var results = new InboundItemResult[items.Count];
        var candidates = new List<(int Index, InboundDossier Dossier, IReadOnlyList<byte[]?> Files)>();
        for (var i = 0; i < items.Count; i++)
        {
            var dossier = InboundValidation.Read(items[i], now, out var errors, out var files);
            if (dossier is null)
            {
                results[i] = new InboundItemResult(InboundValidation.MaHoSoOf(items[i]), InboundItemResult.Invalid, errors);
            }
            else if (catalogue.Check(dossier.MaTthc, dossier.DonViXuLy) is { Count: > 0 } unknown)
            {
                results[i] = new InboundItemResult(dossier.MaHoSo, InboundItemResult.Invalid, string.Join("; ", unknown));
            }
            else
            {
                candidates.Add((i, dossier, files));
            }
        }

        var accepted = await AcceptAsync(candidates.Select(c => (c.Dossier, c.Files)).ToList(), "push", cancellationToken).ConfigureAwait(false);
        for (var c = 0; c < candidates.Count; c++)
        {
            results[candidates[c].Index] = new InboundItemResult(candidates[c].Dossier.MaHoSo, accepted[c] ? InboundItemResult.Accepted : InboundItemResult.Duplicate, null);
        }

        for (var i = 0; i < items.Count; i++)
        {
            await evidence.RecordAsync(new ExchangeRecord
            {
                Client = client,
                Operation = PushOperation,
                Time = now,
                Outcome = results[i].Status,
                RequestDigest = ExchangeRecord.Digest(items[i]?.ToJsonString() ?? "null"),
                MaHoSo = results[i].MaHoSo,
            }, CancellationToken.None).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Accepts dossiers (pulled ones arrive here with their files already stored): true for each that is new,
    /// false for one seen before or repeated in the same batch. Throws Unavailable when Kafka does not acknowledge.
    /// </summary>
    public async Task<IReadOnlyList<bool>> AcceptAsync(IReadOnlyList<(InboundDossier Dossier, IReadOnlyList<byte[]?> Files)> dossiers, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossiers);
        var outcome = new bool[dossiers.Count];
        if (dossiers.Count == 0)
        {
            return outcome;
        }

        var stripes = dossiers.Select(d => Stripe(d.Dossier.MaHoSo)).Distinct().Order().ToList();
        foreach (var s in stripes)
        {
            await _locks[s].WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var now = time.GetUtcNow();
            var records = new List<InboundRecord>();
            var batch = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < dossiers.Count; i++)
            {
                var (dossier, files) = dossiers[i];
                if (IsKnown(dossier.MaHoSo) || !batch.Add(dossier.MaHoSo))
                {
                    continue;
                }

                var stored = await StoreFilesAsync(dossier, files, cancellationToken).ConfigureAwait(false);
                records.Add(new InboundRecord
                {
                    MessageId = MessageIdFor(dossier.MaHoSo),
                    Kind = InboundRecord.DossierKind,
                    Agency = dossier.DonViXuLy,
                    Source = source,
                    ReceivedAt = now,
                    Dossier = stored,
                });
                outcome[i] = true;
            }

            if (records.Count == 0)
            {
                return outcome;
            }

            await log.AppendAsync(records, cancellationToken).ConfigureAwait(false);
            var seen = records.Select(r => new KeyValuePair<string, byte[]?>(
                r.Dossier!.MaHoSo, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new SeenEntry(r.Agency, r.Source, r.ReceivedAt), SeenJson.Default.SeenEntry)))).ToList();
            await state.PutAsync(SeenTable, seen, cancellationToken).ConfigureAwait(false);
            foreach (var r in records)
            {
                LogAccepted(r.Dossier!.MaHoSo, r.Agency, r.Source);
            }

            return outcome;
        }
        finally
        {
            foreach (var s in stripes)
            {
                _locks[s].Release();
            }
        }
    }

    private async Task<InboundDossier> StoreFilesAsync(InboundDossier dossier, IReadOnlyList<byte[]?> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0 || files.All(f => f is null))
        {
            return dossier;
        }

        var documents = new List<InboundDocument>(dossier.TaiLieuNop.Count);
        for (var i = 0; i < dossier.TaiLieuNop.Count; i++)
        {
            var doc = dossier.TaiLieuNop[i];
            if (i < files.Count && files[i] is { } content)
            {
                doc = doc with { Sha256 = await attachments.PutAsync(content, cancellationToken).ConfigureAwait(false), SizeBytes = content.LongLength };
            }

            documents.Add(doc);
        }

        return dossier with { TaiLieuNop = documents };
    }

    private static int Stripe(string maHoSo) => (int)((uint)StringComparer.Ordinal.GetHashCode(maHoSo) % Stripes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound dossier {MaHoSo} accepted for agency {Agency} ({Source})")]
    private partial void LogAccepted(string maHoSo, string agency, string source);
}

internal sealed record SeenEntry(string Agency, string Source, DateTimeOffset At);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SeenEntry))]
internal sealed partial class SeenJson : System.Text.Json.Serialization.JsonSerializerContext;
