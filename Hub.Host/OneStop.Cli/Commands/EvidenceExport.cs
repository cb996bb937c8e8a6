using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OneStop.Hub.Evidence;

namespace OneStop.Cli.Commands;

/// <summary>
/// <c>evidence export</c>: the entries of a time range together with everything an auditor needs to check them with
/// openssl alone: each covering checkpoint's signed statement, signature and timestamp token, the signing
/// certificates and public keys, the TSA certificate, and VERIFY.txt with the exact commands (docs/security.md).
/// </summary>
public static class EvidenceExport
{
    public static async Task<string> WriteAsync(DirectoryInfo folder, IReadOnlyList<EvidenceEntry> entries, IReadOnlyList<X509Certificate2> signers,
        IReadOnlyList<X509Certificate2> tsa, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(entries);
        var proofs = EvidenceProofs.Verify(entries, signers, tsa.Count == 0 ? null : tsa);
        var chosen = proofs.Checkpoints.Where(c => c.From < to && c.To >= from).ToList();
        var byChain = entries.GroupBy(e => e.Chain, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var keep = new HashSet<(string, long)>();
        foreach (var c in chosen)
        {
            for (var seq = c.FromSeq; seq <= c.Seq; seq++)
            {
                keep.Add((c.Chain, seq));
            }
        }

        var tokens = new Dictionary<(string, long), byte[]>();
        foreach (var e in entries.Where(e => e.Operation == EvidenceProof.TimestampOperation && e.Proof is not null))
        {
            var proof = EvidenceProof.Parse(e.Proof!);
            if (proof.Checkpoint is { } target && chosen.Any(c => c.Chain == e.Chain && c.Seq == target) && proof.Token is not null)
            {
                keep.Add((e.Chain, e.Seq));
                tokens[(e.Chain, target)] = proof.Token;
            }
        }

        // Exchanges in the range after the last checkpoint: exported too, and reported as not yet anchored.
        foreach (var u in proofs.Unanchored)
        {
            foreach (var e in byChain[u.Chain].Where(e => e.Seq >= u.FromSeq && e.Time >= from && e.Time < to))
            {
                keep.Add((e.Chain, e.Seq));
            }
        }

        folder.Create();
        var checkpointsDir = Directory.CreateDirectory(Path.Combine(folder.FullName, "checkpoints"));
        var keysDir = Directory.CreateDirectory(Path.Combine(folder.FullName, "keys"));
        var selected = entries.Where(e => keep.Contains((e.Chain, e.Seq))).OrderBy(e => e.Chain, StringComparer.Ordinal).ThenBy(e => e.Seq).ToList();
        await using (var lines = new FileStream(Path.Combine(folder.FullName, "entries.jsonl"), FileMode.Create))
        {
            foreach (var e in selected)
            {
                await lines.WriteAsync(e.CanonicalBytes(), ct).ConfigureAwait(false);
                lines.WriteByte((byte)'\n');
            }
        }

        foreach (var certificate in signers)
        {
            var id = EvidenceSigningKey.KeyIdOf(certificate);
            await File.WriteAllTextAsync(Path.Combine(keysDir.FullName, id + ".cert.pem"), certificate.ExportCertificatePem() + "\n", ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(keysDir.FullName, id + ".pub.pem"),
                PemEncoding.WriteString("PUBLIC KEY", certificate.PublicKey.ExportSubjectPublicKeyInfo()) + "\n", ct).ConfigureAwait(false);
        }

        if (tsa.Count > 0)
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "tsa.pem"), string.Concat(tsa.Select(c => c.ExportCertificatePem() + "\n")), ct).ConfigureAwait(false);
        }

        var script = new StringBuilder();
        script.AppendLine(CultureInfo.InvariantCulture, $"# OneStop evidence export: exchanges from {from:O} to {to:O}. Run from this folder.");
        script.AppendLine("# For each checkpoint: 1. its signature, 2. its timestamp token, 3. the chain head it signed. Then: evidence verify --file entries.jsonl --certificate keys/*.cert.pem --tsa-certificate tsa.pem");
        foreach (var c in chosen)
        {
            var entry = byChain[c.Chain].First(e => e.Seq == c.Seq);
            var proof = EvidenceProof.Parse(entry.Proof!);
            var name = $"{c.Chain}-{c.Seq}";
            await File.WriteAllBytesAsync(Path.Combine(checkpointsDir.FullName, name + ".statement.json"), proof.Statement!, ct).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(checkpointsDir.FullName, name + ".sig"), proof.Signature!, ct).ConfigureAwait(false);
            var statement = CheckpointStatement.Parse(proof.Statement!);
            script.AppendLine(CultureInfo.InvariantCulture, $"# checkpoint {name}: entries {c.FromSeq}..{c.ToSeq}, head {statement.Head}");
            foreach (var command in Commands(c.Chain, c.Seq, statement.KeyId, statement.ToSeq, tokens.ContainsKey((c.Chain, c.Seq)) && tsa.Count > 0))
            {
                script.AppendLine(command);
            }

            if (tokens.TryGetValue((c.Chain, c.Seq), out var token))
            {
                await File.WriteAllBytesAsync(Path.Combine(checkpointsDir.FullName, name + ".tsr"), token, ct).ConfigureAwait(false);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "VERIFY.txt"), script.ToString(), ct).ConfigureAwait(false);
        return $"exported {selected.Count} entries, {chosen.Count} checkpoint(s) and {signers.Count} certificate(s) to {folder.FullName}";
    }

    /// <summary>
    /// The openssl commands that check checkpoint <paramref name="seq"/> of <paramref name="chain"/> in an export folder: the
    /// signature over the statement (prints <c>Verified OK</c>), the timestamp token over the signature (prints
    /// <c>Verification: OK</c>), and the SHA-256 of entry <paramref name="toSeq"/>'s line without its hash, which must
    /// equal the statement's head.
    /// </summary>
    public static IReadOnlyList<string> Commands(string chain, long seq, string keyId, long toSeq, bool timestamped)
    {
        var name = $"checkpoints/{chain}-{seq}";
        var commands = new List<string>
        {
            $"openssl dgst -sha256 -verify keys/{keyId}.pub.pem -signature {name}.sig {name}.statement.json",
        };
        if (timestamped)
        {
            commands.Add($"openssl ts -verify -data {name}.sig -in {name}.tsr -token_in -CAfile tsa.pem");
        }

        commands.Add($"grep -F '{{\"chain\":\"{chain}\",\"seq\":{toSeq},' entries.jsonl | sed 's/,\"hash\":\"[0-9a-f]*\"}}$/}}/' | tr -d '\\n' | sha256sum");
        return commands;
    }
}
