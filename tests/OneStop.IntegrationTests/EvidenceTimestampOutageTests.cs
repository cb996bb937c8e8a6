using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The stop-on-no-timestamp rule: while the TSA is down checkpoints queue; once the oldest has waited longer than
/// Evidence:MaxUntimestamped the hub refuses exchanges (UNAVAILABLE, recorded, shown in /health and /metrics), and
/// when the TSA returns the queue is timestamped and exchanges are served again.
/// </summary>
public sealed class EvidenceTimestampOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exchanges_are_refused_while_checkpoints_wait_too_long_for_a_timestamp_and_served_again_when_the_TSA_returns()
    {
        await using var tsa = await TimestampAuthorityMock.StartAsync();
        var folder = Directory.CreateTempSubdirectory("onestop-tsa-outage-").FullName;
        try
        {
            var keyPath = Path.Combine(folder, "evidence.pfx");
            using (var signing = EvidenceSigningKey.CreateSelfSigned("OneStop test evidence", DateTimeOffset.UtcNow))
            {
                await File.WriteAllBytesAsync(keyPath, signing.Certificate.Export(X509ContentType.Pkcs12), Ct);
            }

            await using var systems = await TestSystems.StartAsync();
            var settings = systems.Settings();
            settings["Evidence:SigningKey:Path"] = keyPath;
            settings["Evidence:TimestampAuthority"] = tsa.Url.ToString();
            settings["Evidence:CheckpointEvery"] = "2";
            settings["Evidence:TimestampRetry"] = "00:00:00.100";
            settings["Evidence:MaxUntimestamped"] = "00:00:01";
            await using var hub = HubServer.Start(settings);
            var client = new LookupService.LookupServiceClient(hub.Grpc);
            var key = new Metadata { { "x-api-key", ClientCalls.DemoKey } };
            using var http = hub.CreateHttpClient();

            tsa.Down = true;
            var refusal = await Eventually.Until(async () =>
            {
                try
                {
                    await client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, key, cancellationToken: Ct);
                    return null;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    return e;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
                {
                    return null; // a slow upstream on a loaded machine: not what this test is about
                }
            }, e => e is not null, "a lookup refused while the TSA is down", TimeSpan.FromSeconds(60));
            refusal!.Status.Detail.ShouldContain("has not been timestamped since");

            using (var health = await http.GetAsync(new Uri("/health", UriKind.Relative), Ct))
            {
                ((int)health.StatusCode).ShouldBe(503);
            }

            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct);
            metrics.Split('\n').ShouldContain(l => l.StartsWith("onestop_hub_onestop_evidence_refusing", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 1", StringComparison.Ordinal), metrics);

            tsa.Down = false;
            await Eventually.Until(async () =>
            {
                try
                {
                    await client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, key, cancellationToken: Ct);
                    return true;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    return false;
                }
            }, ok => ok, "lookups served again once the TSA answers", TimeSpan.FromSeconds(60));

            var entries = await ((IEvidenceStore)hub.Services.GetService(typeof(IEvidenceStore))!).ReadAllAsync(Ct);
            entries.ShouldContain(e => e.Operation == "LookupService/GetEnterprise" && e.Outcome == "unavailable", "the refusals are recorded");
            entries.ShouldContain(e => e.Operation == EvidenceProof.TimestampOperation);
            var report = EvidenceProofs.Verify(entries, [X509CertificateLoader.LoadPkcs12FromFile(keyPath, null)], [tsa.Certificate]);
            report.Problems.ShouldBeEmpty();
            report.Checkpoints.ShouldContain(c => c.TimestampedAt != null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
