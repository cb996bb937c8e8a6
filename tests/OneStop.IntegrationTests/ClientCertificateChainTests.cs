using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using OneStop.Grpc.V1;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Client certificates through ASP.NET Core's certificate authentication with <c>Security:ClientCertificates</c> set to
/// require a chain to the province's own CA and to check revocation against the CA's CRL (served on loopback). Every
/// certificate here is registered by thumbprint: what differs is only whether the chain and revocation checks pass.
/// </summary>
public sealed class ClientCertificateChainFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onestop-chain-" + Guid.NewGuid().ToString("N"));
    private readonly HttpListener _crlServer = new();
    private readonly CancellationTokenSource _stop = new();
    private byte[] _crl = [];

    public TestSystems Systems { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public X509Certificate2 Server { get; private set; } = null!;

    public X509Certificate2 Issued { get; private set; } = null!;

    public X509Certificate2 Revoked { get; private set; } = null!;

    public X509Certificate2 SelfSigned { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var crlPort = FreePort.Next();
        var crlUrl = $"http://127.0.0.1:{crlPort}/tinh-ca-{Guid.NewGuid():N}.crl";
        _crlServer.Prefixes.Add($"http://127.0.0.1:{crlPort}/");
        _crlServer.Start();
        _ = ServeCrlAsync();

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=So TTTT tinh - CA thu nghiem", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        Issued = Issue(ca, "CN=mot-cua-tinh-c", crlUrl, 1);
        Revoked = Issue(ca, "CN=mot-cua-tinh-d", crlUrl, 2);
        SelfSigned = SelfSignedClient("CN=mot-cua-tinh-e");

        var crl = new CertificateRevocationListBuilder();
        crl.AddEntry(Revoked, DateTimeOffset.UtcNow.AddHours(-1), X509RevocationReason.KeyCompromise);
        _crl = crl.Build(ca, 1, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var roots = Path.Combine(_folder, "tinh-ca.pem");
        await File.WriteAllTextAsync(roots, ca.ExportCertificatePem());
        Server = TlsFixture.Create("CN=127.0.0.1", server: true);
        var pfx = Path.Combine(_folder, "server.pfx");
        await File.WriteAllBytesAsync(pfx, Server.Export(X509ContentType.Pfx, "test-only"));

        Systems = await TestSystems.StartAsync();
        var settings = Systems.Settings();
        foreach (var endpoint in new[] { "Grpc", "Http" })
        {
            settings[$"Kestrel:Endpoints:{endpoint}:Certificate:Path"] = pfx;
            settings[$"Kestrel:Endpoints:{endpoint}:Certificate:Password"] = "test-only";
        }

        settings["Security:ClientCertificates:AllowedTypes"] = "Chained";
        settings["Security:ClientCertificates:TrustedRootsPath"] = roots;
        settings["Security:ClientCertificates:RevocationMode"] = "Online";
        foreach (var (id, certificate) in new[] { ("tinh-c", Issued), ("tinh-d", Revoked), ("tinh-e", SelfSigned) })
        {
            settings[$"Security:Clients:{id}:CertificateThumbprints:0"] = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            settings[$"Security:Clients:{id}:Operations:0"] = "LookupService/*";
        }

        Hub = HubServer.Start(settings, scheme: "https");
    }

    public GrpcChannel Channel(X509Certificate2 clientCertificate) => GrpcChannel.ForAddress(Hub.GrpcAddress, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == Server.GetCertHashString(HashAlgorithmName.SHA256),
            },
        },
    });

    private async Task ServeCrlAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _crlServer.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            context.Response.ContentType = "application/pkix-crl";
            await context.Response.OutputStream.WriteAsync(_crl);
            context.Response.Close();
        }
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string crlUrl, byte serial)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [serial, 0x0e]);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    private static X509Certificate2 SelfSignedClient(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
        await _stop.CancelAsync();
        _crlServer.Close();
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class ClientCertificateChainTests(ClientCertificateChainFixture fixture) : IClassFixture<ClientCertificateChainFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VerifyCitizenRequest Citizen => new() { SoDinhDanh = "038085000123", HoVaTen = "Nguyễn Văn An" };

    private async Task<RpcException> Refused(X509Certificate2 certificate)
    {
        using var channel = fixture.Channel(certificate);
        return await Should.ThrowAsync<RpcException>(() => new LookupService.LookupServiceClient(channel).VerifyCitizenAsync(Citizen, cancellationToken: Ct).ResponseAsync);
    }

    [Fact]
    public async Task A_registered_certificate_issued_by_the_trusted_CA_and_not_revoked_authenticates()
    {
        using var channel = fixture.Channel(fixture.Issued);
        (await new LookupService.LookupServiceClient(channel).VerifyCitizenAsync(Citizen, cancellationToken: Ct)).CongDan.SoDinhDanh.ShouldBe("038085000123");
    }

    [Fact]
    public async Task A_registered_certificate_the_CA_revoked_is_Unauthenticated()
    {
        var e = await Refused(fixture.Revoked);
        e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
        e.Status.Detail.ShouldStartWith("the client certificate failed validation");
    }

    [Fact]
    public async Task A_registered_self_signed_certificate_is_Unauthenticated_when_a_chain_is_required()
    {
        var e = await Refused(fixture.SelfSigned);
        e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
        e.Status.Detail.ShouldStartWith("the client certificate failed validation");
    }
}
