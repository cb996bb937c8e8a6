using Microsoft.Extensions.Hosting;
using OneStop.Adapters.Generic;
using OneStop.Mocks;
using OneStop.Schemas.Canonical;
using Shouldly;

namespace OneStop.Adapters.Tests;

public sealed class PopulationLookupCompliance : AdapterCompliance<CitizenQuery, CongDan>
{
    protected override string Name => "Population";

    protected override async Task<MockServer> StartMockAsync(SyntheticDataset data) => await PopulationMock.StartAsync(data);

    protected override void AddAdapter(IHostApplicationBuilder builder) => AddBuiltInLookup(builder, BuiltInLookups.Population);

    protected override CitizenQuery Known => new() { SoDinhDanh = "038085000123", HoVaTen = "Nguyễn Văn An", NgayThangNamSinh = "1985-03-15" };

    protected override CitizenQuery Unknown => new() { SoDinhDanh = "038085999999" };

    protected override void ShouldBeTheKnownRecord(CongDan record)
    {
        record.HoVaTen.ShouldBe("Nguyễn Văn An");
        record.NgayThangNamSinh.ShouldBe("1985-03-15");
        record.GioiTinh.ShouldBe("NAM");
    }
}

public sealed class BusinessLookupCompliance : AdapterCompliance<EnterpriseQuery, DoanhNghiep>
{
    protected override string Name => "Business";

    protected override async Task<MockServer> StartMockAsync(SyntheticDataset data) => await BusinessMock.StartAsync(data);

    protected override void AddAdapter(IHostApplicationBuilder builder) => AddBuiltInLookup(builder, BuiltInLookups.Business);

    protected override EnterpriseQuery Known => new() { MaSoDoanhNghiep = "2801234564" };

    protected override EnterpriseQuery Unknown => new() { MaSoDoanhNghiep = "0100109106" };

    protected override void ShouldBeTheKnownRecord(DoanhNghiep record)
    {
        record.MaSoDoanhNghiep.ShouldBe("2801234564");
        record.TenTiengViet.ShouldBe("Công ty TNHH Một Cửa Số");
    }
}

public sealed class InsuranceLookupCompliance : AdapterCompliance<InsuranceQuery, SoBhxh>
{
    protected override string Name => "Insurance";

    protected override async Task<MockServer> StartMockAsync(SyntheticDataset data) => await InsuranceMock.StartAsync(data);

    protected override void AddAdapter(IHostApplicationBuilder builder) => AddBuiltInLookup(builder, BuiltInLookups.Insurance);

    protected override InsuranceQuery Known => new() { MaSoBhxh = "3820000123" };

    protected override InsuranceQuery Unknown => new() { MaSoBhxh = "9999999999" };

    protected override void ShouldBeTheKnownRecord(SoBhxh record)
    {
        record.MaSoBhxh.ShouldBe("3820000123");
        record.SoDinhDanh.ShouldBe("038085000123");
    }
}

public sealed class LandLookupCompliance : AdapterCompliance<LandParcelQuery, ThuaDat>
{
    protected override string Name => "Land";

    protected override async Task<MockServer> StartMockAsync(SyntheticDataset data) => await LandMock.StartAsync(data);

    protected override void AddAdapter(IHostApplicationBuilder builder) => AddBuiltInLookup(builder, BuiltInLookups.Land);

    protected override LandParcelQuery Known => new() { MaPhuongXa = "16012", SoHieuBanDo = 12, SoThuTuThua = 345 };

    protected override LandParcelQuery Unknown => new() { MaPhuongXa = "16012", SoHieuBanDo = 999, SoThuTuThua = 99999 };

    protected override void ShouldBeTheKnownRecord(ThuaDat record)
    {
        record.MaPhuongXa.ShouldBe("16012");
        record.SoHieuBanDo.ShouldBe(12);
        record.SoThuTuThua.ShouldBe(345);
    }
}
