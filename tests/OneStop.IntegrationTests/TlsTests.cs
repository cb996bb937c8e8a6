using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using OneStop.Grpc.V1;
using OneStop.Hub.Security;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The hub with TLS on both ports (a certificate made for the test, never committed) and clients mapped from
/// their client certificates by SHA-256 thumbprint; calls go over real TLS sockets.
/// </summary>
public sealed class TlsFixture : IAsyncLifetime
{
    public const string KeyedClientKey = "keyed-and-pinned-key";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onestop-tls-" + Guid.NewGuid().ToString("N"));

    public TestSystems Systems { get; private set; } = null!;


    public NationalMocks Mocks { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public X509Certificate2 Server { get; } = Create("CN=127.0.0.1", server: true);

    public X509Certificate2 Province { get; } = Create("CN=mot-cua-tinh-a", server: false);

    public X509Certificate2 Keyed { get; } = Create("CN=mot-cua-tinh-b", server: false);

    public X509Certificate2 Stranger { get; } = Create("CN=stranger", server: false);

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var pfx = Path.Combine(_folder, "server.pfx");
        await File.WriteAllBytesAsync(pfx, Server.Export(X509ContentType.Pfx, "test-only"));
        Systems = await TestSystems.StartAsync();
        Mocks = Systems.National;
        var settings = Systems.Settings();
        foreach (var endpoint in new[] { "Grpc", "Http" })
        {
            settings[$"Kestrel:Endpoints:{endpoint}:Certificate:Path"] = pfx;
            settings[$"Kestrel:Endpoints:{endpoint}:Certificate:Password"] = "test-only";
        }

        settings["Security:Clients:tinh-a:CertificateThumbprints:0"] = Province.GetCertHashString(HashAlgorithmName.SHA256);
        settings["Security:Clients:tinh-a:Operations:0"] = "LookupService/*";
        settings["Security:Clients:tinh-b:ApiKeyHash"] = ApiKeys.Hash(KeyedClientKey);
        settings["Security:Clients:tinh-b:CertificateThumbprints:0"] = Keyed.GetCertHashString(HashAlgorithmName.SHA256);
        settings["Security:Clients:tinh-b:Operations:0"] = "LookupService/*";
        Hub = HubServer.Start(settings, scheme: "https");
    }

    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            // Trust exactly the test's server certificate.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == Server.GetCertHashString(HashAlgorithmName.SHA256),
        },
    };

    public GrpcChannel Channel(X509Certificate2? clientCertificate) =>
        GrpcChannel.ForAddress(Hub.GrpcAddress, new GrpcChannelOptions { HttpHandler = Handler(clientCertificate) });

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        foreach (var c in new[] { Server, Province, Keyed, Stranger })
        {
            c.Dispose();
        }
    }

    internal static X509Certificate2 Create(string subject, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Re-imported so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

public sealed class TlsTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VerifyCitizenRequest Citizen => new() { SoDinhDanh = "038085000123", HoVaTen = "Nguyễn Văn An" };

    [Fact]
    public async Task Registered_client_certificate_alone_authenticates_over_tls_on_the_grpc_port()
    {
        fixture.Hub.GrpcAddress.Scheme.ShouldBe("https");
        using var channel = fixture.Channel(fixture.Province);
        var reply = await new LookupService.LookupServiceClient(channel).VerifyCitizenAsync(Citizen, cancellationToken: Ct);
        reply.CongDan.SoDinhDanh.ShouldBe("038085000123");
    }

    [Fact]
    public async Task Unregistered_client_certificate_is_Unauthenticated()
    {
        using var channel = fixture.Channel(fixture.Stranger);
        var e = await Should.ThrowAsync<RpcException>(() => new LookupService.LookupServiceClient(channel).VerifyCitizenAsync(Citizen, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
        e.Status.Detail.ShouldBe("the client certificate is not registered for any client");
    }

    [Fact]
    public async Task Client_with_a_pinned_certificate_must_present_it_over_tls_the_key_alone_is_not_enough()
    {
        var key = new Metadata { { "x-api-key", TlsFixture.KeyedClientKey } };
        using (var bare = fixture.Channel(null))
        {
            var e = await Should.ThrowAsync<RpcException>(() => new LookupService.LookupServiceClient(bare).VerifyCitizenAsync(Citizen, key, cancellationToken: Ct).ResponseAsync);
            e.StatusCode.ShouldBe(StatusCode.Unauthenticated);
            e.Status.Detail.ShouldBe("client tinh-b must present its registered client certificate over TLS");
        }

        using (var wrongPair = fixture.Channel(fixture.Province))
        {
            var e = await Should.ThrowAsync<RpcException>(() => new LookupService.LookupServiceClient(wrongPair).VerifyCitizenAsync(Citizen, key, cancellationToken: Ct).ResponseAsync);
            e.Status.Detail.ShouldBe("x-api-key and the client certificate belong to different clients");
        }

        using var both = fixture.Channel(fixture.Keyed);
        (await new LookupService.LookupServiceClient(both).VerifyCitizenAsync(Citizen, key, cancellationToken: Ct)).CongDan.SoDinhDanh.ShouldBe("038085000123");
    }

    [Fact]
    public async Task Demo_key_without_a_certificate_still_works_over_tls_for_a_client_that_pinned_none()
    {
        using var channel = fixture.Channel(null);
        var reply = await new LookupService.LookupServiceClient(channel).VerifyCitizenAsync(Citizen, new Metadata { { "x-api-key", "onestop-demo-key" } }, cancellationToken: Ct);
        reply.CongDan.HoVaTen.ShouldBe("Nguyễn Văn An");
    }

    [Fact]
    public async Task Soap_port_serves_https_and_maps_the_client_certificate()
    {
        fixture.Hub.HttpAddress.Scheme.ShouldBe("https");
        using var http = new HttpClient(fixture.Handler(fixture.Province)) { BaseAddress = fixture.Hub.HttpAddress };
        using var content = new StringContent(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><VerifyCitizen xmlns=\"http://onestop.lgsp/lookup/v1\"><request><SoDinhDanh>038085000123</SoDinhDanh></request></VerifyCitizen></s:Body></s:Envelope>",
            Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/VerifyCitizen\"");
        using var response = await http.PostAsync(new Uri("/soap/lookup", UriKind.Relative), content, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldContain("038085000123");

        using var stranger = new HttpClient(fixture.Handler(fixture.Stranger)) { BaseAddress = fixture.Hub.HttpAddress };
        using var again = new StringContent(await content.ReadAsStringAsync(Ct), Encoding.UTF8, "text/xml");
        again.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/VerifyCitizen\"");
        using var refused = await stranger.PostAsync(new Uri("/soap/lookup", UriKind.Relative), again, Ct);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("UNAUTHENTICATED");
    }
}
