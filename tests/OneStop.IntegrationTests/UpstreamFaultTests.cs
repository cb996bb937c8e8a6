using Grpc.Core;
using OneStop.Grpc.V1;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>Hub fixture of its own: these tests switch faults on the fakes.</summary>
public sealed class FaultHubFixture : IAsyncLifetime
{
    private readonly HubFixture _inner = new();

    public HubFixture Inner => _inner;

    public ValueTask InitializeAsync() => _inner.InitializeAsync();

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}

public sealed class UpstreamFaultTests(FaultHubFixture fixture) : IClassFixture<FaultHubFixture>, IDisposable
{
    private readonly LookupService.LookupServiceClient _client = new(fixture.Inner.Hub.Grpc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata Key => new() { { "x-api-key", "onestop-demo-key" } };

    public void Dispose()
    {
        foreach (var mock in fixture.Inner.Mocks.All)
        {
            mock.Faults.Clear();
        }
    }

    [Fact]
    public async Task Upstream_answering_5xx_returns_Unavailable_naming_the_upstream_and_other_lookups_keep_working()
    {
        fixture.Inner.Mocks.Business.Faults.Status5xx = -1;

        var e = await Should.ThrowAsync<RpcException>(() => _client.GetEnterpriseAsync(
            new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.Unavailable);
        e.Status.Detail.ShouldContain("upstream business");
        e.Trailers.GetValue("onestop-upstream").ShouldBe("business");

        var land = await _client.GetLandParcelAsync(new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 }, Key, cancellationToken: Ct);
        land.ThuaDat.SoThuTuThua.ShouldBe(345);
    }

    [Fact]
    public async Task Upstream_reply_in_the_wrong_shape_returns_DataLoss_with_the_reason()
    {
        fixture.Inner.Mocks.Insurance.Faults.MalformedBody = true;

        var e = await Should.ThrowAsync<RpcException>(() => _client.GetInsuranceAsync(
            new GetInsuranceRequest { MaSoBhxh = "3820000123" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.DataLoss);
        e.Status.Detail.ShouldContain("upstream insurance returned a malformed reply");
    }

    [Fact]
    public async Task Upstream_that_never_answers_returns_DeadlineExceeded_instead_of_hanging()
    {
        fixture.Inner.Mocks.Land.Faults.LatencyMs = 20_000;

        var e = await Should.ThrowAsync<RpcException>(() => _client.GetLandParcelAsync(
            new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.DeadlineExceeded);
        e.Status.Detail.ShouldContain("upstream land did not answer in time");
    }

    [Fact]
    public async Task Upstream_resetting_connections_returns_Unavailable()
    {
        fixture.Inner.Mocks.Population.Faults.ConnectionReset = true;

        var e = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(
            new VerifyCitizenRequest { SoDinhDanh = "038085000123" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.Unavailable);
        e.Status.Detail.ShouldContain("upstream population");
    }
}
