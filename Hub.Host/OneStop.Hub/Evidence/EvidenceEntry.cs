using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace OneStop.Hub.Evidence;

/// <summary>
/// One link of an evidence chain: an <see cref="ExchangeRecord"/> plus its place in the chain. Each hub instance
/// keeps one chain (<see cref="Chain"/> = the instance id): <see cref="Seq"/> counts from 0 without gaps,
/// <see cref="Prev"/> is the previous entry's <see cref="Hash"/> (64 zeros for the first), and
/// <see cref="Hash"/> is the SHA-256 of the entry's canonical JSON without the hash. Removing, reordering or
/// editing an entry breaks a link that <see cref="EvidenceChain.Verify"/> finds.
/// </summary>
public sealed record EvidenceEntry
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public required string Chain { get; init; }
    public required long Seq { get; init; }
    public required string Prev { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Client { get; init; }
    public required string Operation { get; init; }
    public string? Purpose { get; init; }
    public required string Outcome { get; init; }
    public string? RequestDigest { get; init; }
    public string? ResponseDigest { get; init; }
    public string? MappingVersion { get; init; }
    public string? Upstream { get; init; }
    public string? RequestId { get; init; }
    public string? MaHoSo { get; init; }

    /// <summary>
    /// For the chain's own entries only (checkpoints, timestamps): their proof as canonical JSON text (see
    /// <see cref="EvidenceCheckpoint"/>). Absent from an exchange's entry, and then not written at all, so entries
    /// written before proofs existed keep their hashes.
    /// </summary>
    public string? Proof { get; init; }

    /// <summary>Hex SHA-256 of <see cref="CanonicalBytes"/>(without hash).</summary>
    public required string Hash { get; init; }

    /// <summary>Links <paramref name="record"/> after (<paramref name="seq"/> - 1, <paramref name="prev"/>) on <paramref name="chain"/>.</summary>
    public static EvidenceEntry Link(string chain, long seq, string prev, ExchangeRecord record) => Link(chain, seq, prev, record, null).Entry;

    /// <summary>
    /// Links <paramref name="record"/> and returns the entry with its stored line, serialised once and hashed once:
    /// the canonical JSON without the hash is hashed, then the hash is appended as the last field of the same bytes.
    /// </summary>
    public static (EvidenceEntry Entry, byte[] Line) Link(string chain, long seq, string prev, ExchangeRecord record, string? proof)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = new EvidenceEntry
        {
            Chain = chain,
            Seq = seq,
            Prev = prev,
            Time = record.Time.ToUniversalTime(),
            Client = record.Client,
            Operation = record.Operation,
            Purpose = record.Purpose,
            Outcome = record.Outcome,
            RequestDigest = record.RequestDigest,
            ResponseDigest = record.ResponseDigest,
            MappingVersion = record.MappingVersion,
            Upstream = record.Upstream,
            RequestId = record.RequestId,
            MaHoSo = record.MaHoSo,
            Proof = proof,
            Hash = "",
        };
        var unhashed = entry.CanonicalBytes(includeHash: false);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(unhashed, digest);
        var hash = Convert.ToHexStringLower(digest);
        // {...} without hash + ,"hash":"<64 hex>"} : the same bytes CanonicalBytes(includeHash: true) writes.
        var line = new byte[unhashed.Length + HashSuffixLength];
        unhashed.AsSpan(0, unhashed.Length - 1).CopyTo(line);
        var tail = line.AsSpan(unhashed.Length - 1);
        ",\"hash\":\""u8.CopyTo(tail);
        System.Text.Encoding.ASCII.GetBytes(hash, tail[9..]);
        "\"}"u8.CopyTo(tail[73..]);
        return (entry with { Hash = hash }, line);
    }

    // ,"hash":"  (9 bytes) + 64 hex + "}  (2 bytes), replacing the closing brace.
    private const int HashSuffixLength = 9 + 64 + 2 - 1;

    /// <summary>The hash this entry should carry, computed from its other fields.</summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(CanonicalBytes(includeHash: false)));

    /// <summary>
    /// The canonical form: UTF-8 JSON, fields in this fixed order, absent values as null, time as UTC
    /// <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>. The stored line is the same with <c>hash</c> last.
    /// </summary>
    public byte[] CanonicalBytes(bool includeHash = true)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("chain", Chain);
            w.WriteNumber("seq", Seq);
            w.WriteString("prev", Prev);
            w.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("client", Client);
            w.WriteString("operation", Operation);
            Optional(w, "purpose", Purpose);
            w.WriteString("outcome", Outcome);
            Optional(w, "request_digest", RequestDigest);
            Optional(w, "response_digest", ResponseDigest);
            Optional(w, "mapping_version", MappingVersion);
            Optional(w, "upstream", Upstream);
            Optional(w, "request_id", RequestId);
            Optional(w, "ma_ho_so", MaHoSo);
            if (Proof is not null)
            {
                w.WriteString("proof", Proof);
            }

            if (includeHash)
            {
                w.WriteString("hash", Hash);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one stored line (JSON object) back; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static EvidenceEntry Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var e = doc.RootElement;
            return new EvidenceEntry
            {
                Chain = Required(e, "chain"),
                Seq = e.GetProperty("seq").GetInt64(),
                Prev = Required(e, "prev"),
                Time = DateTimeOffset.Parse(Required(e, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                Client = Required(e, "client"),
                Operation = Required(e, "operation"),
                Purpose = OptionalString(e, "purpose"),
                Outcome = Required(e, "outcome"),
                RequestDigest = OptionalString(e, "request_digest"),
                ResponseDigest = OptionalString(e, "response_digest"),
                MappingVersion = OptionalString(e, "mapping_version"),
                Upstream = OptionalString(e, "upstream"),
                RequestId = OptionalString(e, "request_id"),
                MaHoSo = OptionalString(e, "ma_ho_so"),
                Proof = OptionalString(e, "proof"),
                Hash = Required(e, "hash"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException("not an evidence entry: " + ex.Message, ex);
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string Required(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null");

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
