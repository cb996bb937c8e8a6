using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace OneStop.Mocks;

/// <summary>
/// A fake RFC 3161 time-stamping authority (BouncyCastle's token generator): <c>POST /</c> with an
/// <c>application/timestamp-query</c> body answers an <c>application/timestamp-reply</c>; <c>GET /certificate</c>
/// gives its certificate (PEM). Its key and self-signed certificate (RSA 2048, extended key usage timeStamping,
/// critical) are made at start, so each instance is a different TSA. <see cref="Down"/> makes it answer 503.
/// Standalone on 127.0.0.1:5099.
/// </summary>
public sealed class TimestampAuthorityMock : IAsyncDisposable
{
    public const int StandalonePort = 5099;

    private readonly WireMockServer _server;
    private readonly TimeStampResponseGenerator _generator;
    private long _serial;
    private int _issued;

    private TimestampAuthorityMock(WireMockServer server, X509Certificate2 certificate, TimeStampResponseGenerator generator)
    {
        _server = server;
        Certificate = certificate;
        _generator = generator;
    }

    public Uri Url => new(_server.Url! + "/");

    /// <summary>The TSA's certificate: what a verifier trusts to check tokens.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>While true, every request gets 503 (the TSA is down).</summary>
    public bool Down { get; set; }

    /// <summary>Tokens issued so far.</summary>
    public int Issued => Volatile.Read(ref _issued);

    /// <summary>Starts a new TSA on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<TimestampAuthorityMock> StartAsync(int port = 0, string name = "OneStop fake TSA")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var bcCertificate = DotNetUtilities.FromX509Certificate(certificate);
        var tokens = new TimeStampTokenGenerator(DotNetUtilities.GetRsaKeyPair(rsa).Private, bcCertificate, TspAlgorithms.Sha256, "1.3.6.1.4.1.99999.1");
        tokens.SetCertificates(CollectionUtilities.CreateStore(new[] { bcCertificate }));
        var generator = new TimeStampResponseGenerator(tokens, TspAlgorithms.Allowed);

        var server = await Task.Run(() => WireMockServer.Start(new WireMockServerSettings
        {
            Urls = [$"http://127.0.0.1:{port}"],
            StartAdminInterface = false,
            Logger = new WireMockNullLogger(),
            MaxRequestLogCount = 0,
            DisableJsonBodyParsing = true,
            DisableDeserializeFormUrlEncoded = true,
        })).ConfigureAwait(false);
        var mock = new TimestampAuthorityMock(server, X509CertificateLoader.LoadCertificate(certificate.RawData), generator);
        certificate.Dispose();
        server.Given(Request.Create().WithPath("/certificate").UsingGet()).RespondWith(Response.Create().WithCallback(_ => Reply(200, "application/x-pem-file", System.Text.Encoding.ASCII.GetBytes(mock.CertificatePem))));
        server.Given(Request.Create().WithPath("/").UsingPost()).RespondWith(Response.Create().WithCallback(mock.Stamp));
        return mock;
    }

    private ResponseMessage Stamp(IRequestMessage request)
    {
        if (Down)
        {
            return Reply(503, "text/plain", "the time-stamping authority is down"u8.ToArray());
        }

        try
        {
            var query = new TimeStampRequest(request.BodyAsBytes ?? []);
            TimeStampResponse response;
            lock (_generator)
            {
                response = _generator.Generate(query, BigInteger.ValueOf(Interlocked.Increment(ref _serial)), DateTime.UtcNow);
            }

            Interlocked.Increment(ref _issued);
            return Reply(200, "application/timestamp-reply", response.GetEncoded());
        }
        catch (Exception e) when (e is TspException or IOException or ArgumentException)
        {
            return Reply(400, "text/plain", System.Text.Encoding.UTF8.GetBytes("not a timestamp request: " + e.Message));
        }
    }

    private static ResponseMessage Reply(int status, string contentType, byte[] body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = new(contentType) },
        BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = body },
    };

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        Certificate.Dispose();
        return ValueTask.CompletedTask;
    }
}
