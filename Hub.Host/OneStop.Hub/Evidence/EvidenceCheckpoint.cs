using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace OneStop.Hub.Evidence;

/// <summary>
/// What a signed checkpoint states: chain <see cref="Chain"/> holds entries <see cref="FromSeq"/>..<see cref="ToSeq"/>
/// and entry <see cref="ToSeq"/> has hash <see cref="Head"/> (so, through the links, every entry before it is fixed
/// too), as of <see cref="Time"/>, signed with key <see cref="KeyId"/>. The statement's canonical bytes are what is
/// signed; the signature's bytes are what a TSA timestamps.
/// </summary>
public sealed record CheckpointStatement(string Chain, long FromSeq, long ToSeq, string Head, DateTimeOffset Time, string KeyId, string Algorithm)
{
    public const string Operation = "Evidence/Checkpoint";

    public byte[] CanonicalBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("chain", Chain);
            w.WriteNumber("from_seq", FromSeq);
            w.WriteNumber("to_seq", ToSeq);
            w.WriteString("head", Head);
            w.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("key_id", KeyId);
            w.WriteString("algorithm", Algorithm);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static CheckpointStatement Parse(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var e = doc.RootElement;
        return new CheckpointStatement(
            e.GetProperty("chain").GetString()!, e.GetProperty("from_seq").GetInt64(), e.GetProperty("to_seq").GetInt64(),
            e.GetProperty("head").GetString()!,
            DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            e.GetProperty("key_id").GetString()!, e.GetProperty("algorithm").GetString()!);
    }
}

/// <summary>
/// The proof an entry of the chain's own carries (<see cref="EvidenceEntry.Proof"/>): a checkpoint (statement bytes
/// and signature) or a timestamp (an RFC 3161 token over a checkpoint's signature).
/// </summary>
public sealed record EvidenceProof
{
    public const string TimestampOperation = "Evidence/Timestamp";

    /// <summary>checkpoint or timestamp.</summary>
    public required string Type { get; init; }

    /// <summary>Checkpoint: the statement's canonical bytes, exactly as signed.</summary>
    public byte[]? Statement { get; init; }

    /// <summary>Checkpoint: the signature (ECDSA as DER, RSA PKCS#1 v1.5, SHA-256).</summary>
    public byte[]? Signature { get; init; }

    /// <summary>Timestamp: the entry sequence number of the checkpoint it timestamps.</summary>
    public long? Checkpoint { get; init; }

    /// <summary>Timestamp: the RFC 3161 token (CMS SignedData, DER) over SHA-256 of the checkpoint's signature.</summary>
    public byte[]? Token { get; init; }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", Type);
            if (Statement is not null)
            {
                w.WriteBase64String("statement", Statement);
            }

            if (Signature is not null)
            {
                w.WriteBase64String("signature", Signature);
            }

            if (Checkpoint is not null)
            {
                w.WriteNumber("checkpoint", Checkpoint.Value);
            }

            if (Token is not null)
            {
                w.WriteBase64String("token", Token);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static EvidenceProof Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        return new EvidenceProof
        {
            Type = e.GetProperty("type").GetString()!,
            Statement = e.TryGetProperty("statement", out var s) ? s.GetBytesFromBase64() : null,
            Signature = e.TryGetProperty("signature", out var g) ? g.GetBytesFromBase64() : null,
            Checkpoint = e.TryGetProperty("checkpoint", out var c) ? c.GetInt64() : null,
            Token = e.TryGetProperty("token", out var t) ? t.GetBytesFromBase64() : null,
        };
    }
}

/// <summary>
/// The hub's evidence signing key with its certificate. The key id is derived from the certificate (the first 16 hex
/// digits of its SHA-256 thumbprint), so a verifier holding the published certificates finds the right one, and a
/// new key (a new certificate) is a new key id: rotation needs no coordination.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    public EvidenceSigningKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        _ecdsa = certificate.GetECDsaPrivateKey();
        _rsa = _ecdsa is null ? certificate.GetRSAPrivateKey() : null;
        if (_ecdsa is null && _rsa is null)
        {
            throw new InvalidOperationException("the evidence certificate has no ECDSA or RSA private key");
        }

        if (_ecdsa is not null && _ecdsa.KeySize != 256)
        {
            throw new InvalidOperationException($"the evidence key is ECDSA P-{_ecdsa.KeySize}: use P-256");
        }

        Algorithm = _ecdsa is not null ? "ES256" : "RS256";
        KeyId = KeyIdOf(certificate);
    }

    public X509Certificate2 Certificate { get; }

    public string KeyId { get; }

    /// <summary>ES256 (ECDSA P-256, SHA-256, DER signature) or RS256 (RSA PKCS#1 v1.5, SHA-256).</summary>
    public string Algorithm { get; }

    /// <summary>Loads a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, with <paramref name="password"/>) or a PEM certificate with its key (in the same file or <paramref name="keyPath"/>).</summary>
    public static EvidenceSigningKey Load(string path, string? password, string? keyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var certificate = ext is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet)
            : string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        return new EvidenceSigningKey(certificate);
    }

    /// <summary>A new self-signed ECDSA P-256 key and certificate (the demo's; production keys come from a file).</summary>
    public static EvidenceSigningKey CreateSelfSigned(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        return new EvidenceSigningKey(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet));
    }

    public static string KeyIdOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16].ToLowerInvariant();
    }

    public byte[] Sign(byte[] data) => _ecdsa is not null
        ? _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
        : _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Checks <paramref name="signature"/> over <paramref name="data"/> with the public key of <paramref name="certificate"/>.</summary>
    public static bool VerifySignature(X509Certificate2 certificate, byte[] data, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
        Certificate.Dispose();
    }
}
