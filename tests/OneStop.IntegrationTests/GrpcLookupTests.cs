using OneStop.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using OneStop.Grpc.V1;
using Shouldly;

namespace OneStop.IntegrationTests;

public sealed class GrpcLookupTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private readonly LookupService.LookupServiceClient _client = new(fixture.Hub.Grpc);

    private static Metadata Key => new() { { "x-api-key", "onestop-demo-key" } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VerifyCitizen_documented_sample_returns_the_record_and_the_mapping_used()
    {
        var reply = await _client.VerifyCitizenAsync(new VerifyCitizenRequest
        {
            SoDinhDanh = "038085000123", HoVaTen = "Nguyễn Văn An", NgayThangNamSinh = "1985-03-15",
            Context = new LookupContext { MaDonVi = "000.00.01.H56", MucDich = "tiep-nhan-ho-so" },
        }, Key, cancellationToken: Ct);

        reply.CongDan.SoDinhDanh.ShouldBe("038085000123");
        reply.CongDan.HoVaTen.ShouldBe("Nguyễn Văn An");
        reply.CongDan.GioiTinh.ShouldBe("NAM");
        reply.CongDan.NgayThangNamSinh.ShouldBe("1985-03-15");
        reply.CongDan.ThuongTru.MaPhuongXa.ShouldNotBeNullOrEmpty();
        reply.Meta.Nguon.ShouldBe("population");
        reply.Meta.MappingVersion.ShouldStartWith("population.reply@");
        reply.Meta.MaYeuCau.Length.ShouldBe(32);
    }

    [Fact]
    public async Task VerifyCitizen_answers_every_citizen_of_a_sample_of_the_dataset_with_their_own_record()
    {
        foreach (var citizen in fixture.Data.Citizens.Where((_, i) => i % 50 == 7).Take(20))
        {
            var reply = await _client.VerifyCitizenAsync(new VerifyCitizenRequest
            {
                SoDinhDanh = citizen.SoDinhDanh, HoVaTen = citizen.HoVaTen,
            }, Key, cancellationToken: Ct);
            reply.CongDan.SoDinhDanh.ShouldBe(citizen.SoDinhDanh);
            reply.CongDan.HoVaTen.ShouldBe(citizen.HoVaTen);
        }
    }

    [Theory]
    [InlineData("03808500012", "must be 12 digits")]
    [InlineData("099085000123", "province-of-birth code")]
    [InlineData("038685000123", "century and gender")]
    public async Task VerifyCitizen_with_invalid_cccd_returns_InvalidArgument_naming_field_and_rule(string cccd, string rule)
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(
            new VerifyCitizenRequest { SoDinhDanh = cccd }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        e.Status.Detail.ShouldStartWith("so_dinh_danh: ");
        e.Status.Detail.ShouldContain(rule);
        e.Status.Detail.ShouldNotContain(cccd);
        e.Trailers.GetValue("onestop-field").ShouldBe("so_dinh_danh");
    }

    [Fact]
    public async Task VerifyCitizen_valid_but_unknown_id_returns_NotFound()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(
            new VerifyCitizenRequest { SoDinhDanh = "038085999999" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.NotFound);
    }

    [Fact]
    public async Task VerifyCitizen_with_a_name_that_does_not_match_returns_NotFound()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.VerifyCitizenAsync(
            new VerifyCitizenRequest { SoDinhDanh = "038085000123", HoVaTen = "Trần Thị Bình" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.NotFound);
    }

    [Fact]
    public async Task GetEnterprise_documented_sample_returns_registration()
    {
        var reply = await _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, Key, cancellationToken: Ct);
        reply.DoanhNghiep.MaSoDoanhNghiep.ShouldBe("2801234564");
        reply.DoanhNghiep.TenTiengViet.ShouldBe("Công ty TNHH Một Cửa Số");
        reply.DoanhNghiep.NganhNgheKinhDoanh.ShouldContain(n => n.LaNganhChinh);
        reply.DoanhNghiep.DaiDienPhapLuat.ShouldNotBeEmpty();
        reply.Meta.Nguon.ShouldBe("business");
    }

    [Fact]
    public async Task GetEnterprise_with_wrong_check_digit_returns_InvalidArgument()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.GetEnterpriseAsync(
            new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234565" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        e.Status.Detail.ShouldBe("ma_so_doanh_nghiep: check digit (10th digit) does not match digits 1-9");
    }

    [Fact]
    public async Task GetEnterprise_of_every_dataset_business_sampled_returns_its_name()
    {
        foreach (var business in fixture.Data.Businesses.Where((_, i) => i % 20 == 3))
        {
            var reply = await _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = business.MaSoDoanhNghiep }, Key, cancellationToken: Ct);
            reply.DoanhNghiep.TenTiengViet.ShouldBe(business.TenTiengViet);
        }
    }

    [Fact]
    public async Task GetInsurance_documented_sample_by_bhxh_and_by_cccd_returns_the_same_record()
    {
        var byBhxh = await _client.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = "3820000123" }, Key, cancellationToken: Ct);
        var byCccd = await _client.GetInsuranceAsync(new GetInsuranceRequest { SoDinhDanh = "038085000123" }, Key, cancellationToken: Ct);
        byBhxh.SoBhxh.MaSoBhxh.ShouldBe("3820000123");
        byBhxh.SoBhxh.SoDinhDanh.ShouldBe("038085000123");
        byBhxh.SoBhxh.NgayThangNamSinh.ShouldBe("1985-03-15");
        byBhxh.SoBhxh.TheBhyt.MaThe.Length.ShouldBe(15);
        byBhxh.SoBhxh.QuaTrinhThamGia.ShouldNotBeEmpty();
        byCccd.SoBhxh.ShouldBe(byBhxh.SoBhxh);
    }

    [Fact]
    public async Task GetInsurance_with_nine_digit_number_returns_InvalidArgument_naming_ma_so_bhxh()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.GetInsuranceAsync(
            new GetInsuranceRequest { MaSoBhxh = "382000012" }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        e.Trailers.GetValue("onestop-field").ShouldBe("ma_so_bhxh");
    }

    [Fact]
    public async Task GetLandParcel_documented_sample_returns_parcel_and_certificate()
    {
        var reply = await _client.GetLandParcelAsync(new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 }, Key, cancellationToken: Ct);
        reply.ThuaDat.MaPhuongXa.ShouldBe("16012");
        reply.ThuaDat.SoHieuBanDo.ShouldBe(12);
        reply.ThuaDat.SoThuTuThua.ShouldBe(345);
        reply.ThuaDat.DienTich.ShouldBeGreaterThan(0);
        reply.ThuaDat.GiayChungNhan.ChuSuDung.ShouldNotBeEmpty();
        reply.Meta.Nguon.ShouldBe("land");
    }

    [Fact]
    public async Task GetLandParcel_not_in_the_database_returns_NotFound()
    {
        var e = await Should.ThrowAsync<RpcException>(() => _client.GetLandParcelAsync(
            new GetLandParcelRequest { MaPhuongXa = "16012", SoHieuBanDo = 999, SoThuTuThua = 99999 }, Key, cancellationToken: Ct).ResponseAsync);
        e.StatusCode.ShouldBe(StatusCode.NotFound);
    }

    [Fact]
    public async Task Health_service_reports_serving()
    {
        // gRPC health follows readiness, which waits for the delivery consumers to join their groups after start.
        var health = new Health.HealthClient(fixture.Hub.Grpc);
        var reply = await Eventually.Until(() => health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Status == HealthCheckResponse.Types.ServingStatus.Serving, "gRPC health reports SERVING");
        reply.Status.ShouldBe(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Fact]
    public async Task Reflection_lists_the_lookup_service()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Hub.Grpc);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, Ct);
        await call.RequestStream.CompleteAsync();
        (await call.ResponseStream.MoveNext(Ct)).ShouldBeTrue();
        call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ShouldContain("onestop.v1.LookupService");
    }

    [Fact]
    public async Task Http_port_serves_health_and_prometheus_metrics()
    {
        using var http = fixture.Hub.CreateHttpClient();
        (await http.GetStringAsync(new Uri("/health/live", UriKind.Relative), Ct)).ShouldContain("\"status\": \"Healthy\"");
        await _client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, Key, cancellationToken: Ct);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct);
        metrics.ShouldContain("onestop_lookups");
    }
}
