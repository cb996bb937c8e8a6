using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>/health/live, /health/ready and the gRPC health service of the running hub.</summary>
[Collection(OperatorCollection.Name)]
public sealed class HealthTests(OperatorFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string path)
    {
        using var http = fixture.Hub.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private Task<HealthCheckResponse.Types.ServingStatus> GrpcStatus() =>
        new Health.HealthClient(fixture.Hub.Grpc).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct).ResponseAsync.ContinueWith(t => t.Result.Status, Ct, TaskContinuationOptions.None, TaskScheduler.Default);

    [Fact]
    public async Task Live_answers_while_the_process_serves_and_runs_no_check()
    {
        var (status, body) = await Get("/health/live");
        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("status").GetString().ShouldBe("Healthy");
        body.GetProperty("checks").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Ready_reports_kafka_mappings_evidence_and_consumers()
    {
        var body = await Eventually.Until(async () => await Get("/health/ready"), r => r.Status == HttpStatusCode.OK, "the hub becomes ready", TimeSpan.FromSeconds(60));
        var checks = body.Body.GetProperty("checks");
        checks.EnumerateObject().Select(c => c.Name).ShouldBe(["kafka", "evidence", "consumers", "delivery", "mappings", "test-switch"], ignoreOrder: true);
        checks.GetProperty("kafka").GetProperty("description").GetString()!.ShouldContain("brokers");
        checks.GetProperty("mappings").GetProperty("description").GetString()!.ShouldContain("mappings");
        checks.GetProperty("evidence").GetProperty("description").GetString()!.ShouldContain("continues at entry");
        checks.GetProperty("consumers").GetProperty("description").GetString()!.ShouldContain("every destination");
        (await GrpcStatus()).ShouldBe(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Fact]
    public async Task A_failing_readiness_check_makes_ready_503_and_grpc_NotServing_while_live_stays_up()
    {
        await Eventually.Until(async () => await Get("/health/ready"), r => r.Status == HttpStatusCode.OK, "the hub becomes ready", TimeSpan.FromSeconds(60));
        fixture.NotReady = "switched off by the test";
        try
        {
            var (status, body) = await Get("/health/ready");
            status.ShouldBe(HttpStatusCode.ServiceUnavailable);
            body.GetProperty("checks").GetProperty("test-switch").GetProperty("description").GetString().ShouldBe("switched off by the test");
            (await GrpcStatus()).ShouldBe(HealthCheckResponse.Types.ServingStatus.NotServing);
            (await Get("/health/live")).Status.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            fixture.NotReady = null;
        }

        (await GrpcStatus()).ShouldBe(HealthCheckResponse.Types.ServingStatus.Serving);
    }
}
