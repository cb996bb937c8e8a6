using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace OneStop.Hub.Evidence;

/// <summary>What one checkpoint proves: entries <see cref="FromSeq"/>..<see cref="ToSeq"/> of <see cref="Chain"/>, made between <see cref="From"/> and <see cref="To"/>, signed with <see cref="KeyId"/>, and (when timestamped) existing at <see cref="TimestampedAt"/>.</summary>
public sealed record CheckpointProof(string Chain, long Seq, long FromSeq, long ToSeq, DateTimeOffset? From, DateTimeOffset? To, string KeyId, DateTimeOffset? TimestampedAt, string? TimestampAuthority);

/// <summary>Entries after a chain's last checkpoint: linked, but not yet signed.</summary>
public sealed record UnanchoredRange(string Chain, long FromSeq, long ToSeq);

public sealed record EvidenceProofReport(IReadOnlyList<CheckpointProof> Checkpoints, IReadOnlyList<UnanchoredRange> Unanchored, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Checks the signed checkpoints and timestamps in evidence chains (<see cref="EvidenceChain.Verify"/> checks the
/// links): each checkpoint's statement names the entries before it and the hash the chain really has there, its
/// signature verifies with the published certificate of its key id, and each timestamp token is a valid RFC 3161
/// token over that checkpoint's signature, signed by a trusted TSA. A chain rewritten wholesale (every hash
/// recomputed) no longer matches the head its first checkpoint signed, and a forged checkpoint needs the key.
/// </summary>
public static class EvidenceProofs
{
    public static EvidenceProofReport Verify(
        IEnumerable<EvidenceEntry> entries, IReadOnlyCollection<X509Certificate2> certificates, IReadOnlyCollection<X509Certificate2>? timestampAuthorities)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(certificates);
        var byKeyId = certificates.GroupBy(EvidenceSigningKey.KeyIdOf).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var problems = new List<string>();
        var warnings = new List<string>();
        var checkpoints = new List<CheckpointProof>();
        var unanchored = new List<UnanchoredRange>();
        foreach (var chain in entries.GroupBy(e => e.Chain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = chain.OrderBy(e => e.Seq).ToList();
            var bySeq = new Dictionary<long, EvidenceEntry>();
            foreach (var e in ordered)
            {
                bySeq.TryAdd(e.Seq, e);
            }

            var signatures = new Dictionary<long, (byte[] Signature, int Index)>();
            long anchoredTo = -1;
            foreach (var entry in ordered)
            {
                if (entry.Operation == CheckpointStatement.Operation)
                {
                    var proof = Checkpoint(chain.Key, entry, bySeq, byKeyId, problems);
                    if (proof is not null)
                    {
                        signatures[entry.Seq] = (proof.Value.Signature, checkpoints.Count);
                        checkpoints.Add(proof.Value.Proof);
                        anchoredTo = entry.Seq;
                    }
                }
                else if (entry.Operation == EvidenceProof.TimestampOperation)
                {
                    Timestamp(chain.Key, entry, signatures, checkpoints, timestampAuthorities, problems, warnings);
                }
            }

            // A token over a later checkpoint also anchors every earlier one (its signed head fixes the chain before it).
            CheckpointProof? later = null;
            for (var i = checkpoints.Count - 1; i >= 0 && checkpoints[i].Chain == chain.Key; i--)
            {
                if (checkpoints[i].TimestampedAt is not null)
                {
                    later = checkpoints[i];
                }
                else if (later is not null)
                {
                    checkpoints[i] = checkpoints[i] with { TimestampedAt = later.TimestampedAt, TimestampAuthority = $"{later.TimestampAuthority} (through checkpoint {later.Seq})" };
                }
            }

            var last = ordered.Count == 0 ? -1 : ordered[^1].Seq;
            if (last > anchoredTo)
            {
                unanchored.Add(new UnanchoredRange(chain.Key, anchoredTo + 1, last));
            }
        }

        return new EvidenceProofReport(checkpoints, unanchored, problems, warnings);
    }

    private static (CheckpointProof Proof, byte[] Signature)? Checkpoint(
        string chain, EvidenceEntry entry, Dictionary<long, EvidenceEntry> bySeq, Dictionary<string, X509Certificate2> byKeyId, List<string> problems)
    {
        EvidenceProof proof;
        CheckpointStatement statement;
        try
        {
            proof = EvidenceProof.Parse(entry.Proof ?? throw new FormatException("no proof"));
            statement = CheckpointStatement.Parse(proof.Statement ?? throw new FormatException("no statement"));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problems.Add($"chain {chain}: checkpoint {entry.Seq} is unreadable ({e.Message})");
            return null;
        }

        if (!byKeyId.TryGetValue(statement.KeyId, out var certificate))
        {
            problems.Add($"chain {chain}: checkpoint {entry.Seq} is signed with key {statement.KeyId}, which no given certificate has");
            return null;
        }

        if (proof.Signature is null || !EvidenceSigningKey.VerifySignature(certificate, proof.Statement!, proof.Signature))
        {
            problems.Add($"chain {chain}: checkpoint {entry.Seq}: the signature does not verify with the certificate of key {statement.KeyId} (forged or altered)");
            return null;
        }

        if (statement.Chain != chain || statement.ToSeq != entry.Seq - 1)
        {
            problems.Add($"chain {chain}: checkpoint {entry.Seq} signs chain {statement.Chain} up to entry {statement.ToSeq}, not the entries before it");
            return null;
        }

        if (!bySeq.TryGetValue(statement.ToSeq, out var head) || head.Hash != statement.Head)
        {
            problems.Add($"chain {chain}: checkpoint {entry.Seq}: entry {statement.ToSeq} is not the one the hub signed (head hash differs): entries up to {statement.ToSeq} were rewritten");
            return null;
        }

        var covered = Enumerable.Range(0, (int)Math.Max(0, statement.ToSeq - statement.FromSeq + 1))
            .Select(i => bySeq.GetValueOrDefault(statement.FromSeq + i)).Where(e => e is not null).Select(e => e!.Time).ToList();
        return (new CheckpointProof(chain, entry.Seq, statement.FromSeq, statement.ToSeq,
            covered.Count == 0 ? null : covered.Min(), covered.Count == 0 ? null : covered.Max(), statement.KeyId, null, null), proof.Signature);
    }

    private static void Timestamp(string chain, EvidenceEntry entry, Dictionary<long, (byte[] Signature, int Index)> signatures, List<CheckpointProof> checkpoints,
        IReadOnlyCollection<X509Certificate2>? authorities, List<string> problems, List<string> warnings)
    {
        EvidenceProof proof;
        try
        {
            proof = EvidenceProof.Parse(entry.Proof ?? throw new FormatException("no proof"));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            problems.Add($"chain {chain}: timestamp {entry.Seq} is unreadable ({e.Message})");
            return;
        }

        if (proof.Checkpoint is not { } target || !signatures.TryGetValue(target, out var signed))
        {
            problems.Add($"chain {chain}: timestamp {entry.Seq} names checkpoint {proof.Checkpoint}, which is not a verified checkpoint before it");
            return;
        }

        if (proof.Token is null || !Rfc3161TimestampToken.TryDecode(proof.Token, out var token, out _))
        {
            problems.Add($"chain {chain}: timestamp {entry.Seq} holds no RFC 3161 token");
            return;
        }

        if (!token.VerifySignatureForData(signed.Signature, out var signer, authorities is null ? null : new X509Certificate2Collection(authorities.ToArray())) || signer is null)
        {
            problems.Add($"chain {chain}: timestamp {entry.Seq}: the token does not verify over checkpoint {target}'s signature");
            return;
        }

        if (authorities is { Count: > 0 })
        {
            if (!Trusted(signer, authorities))
            {
                problems.Add($"chain {chain}: timestamp {entry.Seq}: the token is signed by {signer.Subject}, not by a trusted TSA");
                return;
            }
        }
        else
        {
            warnings.Add($"chain {chain}: timestamp {entry.Seq} is signed by {signer.Subject}; give the TSA's certificate to check who signed it");
        }

        checkpoints[signed.Index] = checkpoints[signed.Index] with { TimestampedAt = token.TokenInfo.Timestamp, TimestampAuthority = signer.Subject };
    }

    private static bool Trusted(X509Certificate2 signer, IReadOnlyCollection<X509Certificate2> authorities)
    {
        if (authorities.Any(a => a.RawDataMemory.Span.SequenceEqual(signer.RawDataMemory.Span)))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        return chain.Build(signer);
    }

    /// <summary>A timestamp request for <paramref name="signature"/> (SHA-256 imprint, nonce, the TSA's certificate asked for).</summary>
    public static Rfc3161TimestampRequest TimestampRequest(byte[] signature) =>
        Rfc3161TimestampRequest.CreateFromData(signature, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
}

/// <summary>The hub's evidence anchoring as it stands: published certificates, checkpoints waiting for a timestamp, and whether exchanges must be refused.</summary>
public interface IEvidenceAnchor
{
    /// <summary>Certificates whose keys signed checkpoints: the current key's first, then earlier ones (rotation).</summary>
    IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> Certificates { get; }

    /// <summary>Key id of the key signing now; null when the hub has no signing key.</summary>
    string? CurrentKeyId { get; }

    int UntimestampedCheckpoints { get; }

    /// <summary>Non-null while new exchanges must be refused (checkpoints untimestamped past the configured limit): the reason.</summary>
    string? Refusal { get; }
}
