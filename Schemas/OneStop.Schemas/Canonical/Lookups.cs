namespace OneStop.Schemas.Canonical;

// Canonical lookup records: the hub's own shape between the transports (gRPC, SOAP) and the adapters.
// Property names are the national systems' names; in JSON they are lower snake case, exactly as in
// Protos/onestop/v1/lookup.proto, which is also what the reply mappings under Mappings/files produce.

/// <summary>Who at the desk asks, and why. Recorded with the exchange.</summary>
public sealed record LookupContext
{
    public string? MaDonVi { get; init; }
    public string? MaCanBo { get; init; }
    public string? MucDich { get; init; }
    public string? MaHoSo { get; init; }
}

public sealed record DiaChi
{
    public string? MaTinhThanh { get; init; }
    public string? MaPhuongXa { get; init; }
    public string? ChiTiet { get; init; }
}

public sealed record NguoiLienQuan
{
    public string? HoVaTen { get; init; }
    public string? SoDinhDanh { get; init; }
    public string? QuanHe { get; init; }
}

public sealed record CitizenQuery
{
    public string? SoDinhDanh { get; init; }
    public string? SoCmnd { get; init; }
    public string? HoVaTen { get; init; }
    public string? NgayThangNamSinh { get; init; }
    public LookupContext Context { get; init; } = new();
}

public sealed record CongDan
{
    public string? SoDinhDanh { get; init; }
    public string? SoCmnd { get; init; }
    public string? HoVaTen { get; init; }
    public string? GioiTinh { get; init; }
    public string? DanToc { get; init; }
    public string? TonGiao { get; init; }
    public string? NgayThangNamSinh { get; init; }
    public string? QuocTich { get; init; }
    public DiaChi? ThuongTru { get; init; }
    public DiaChi? NoiOHienTai { get; init; }
    public NguoiLienQuan? ChuHo { get; init; }
    public NguoiLienQuan? Cha { get; init; }
    public NguoiLienQuan? Me { get; init; }
    public NguoiLienQuan? VoChong { get; init; }
}

public sealed record EnterpriseQuery
{
    public string? MaSoDoanhNghiep { get; init; }
    public LookupContext Context { get; init; } = new();
}

public sealed record DaiDienPhapLuat
{
    public string? HoVaTen { get; init; }
    public string? ChucDanh { get; init; }
    public string? SoDinhDanh { get; init; }
}

public sealed record NganhNghe
{
    public string? MaNganh { get; init; }
    public string? TenNganh { get; init; }
    public bool LaNganhChinh { get; init; }
}

public sealed record DoanhNghiep
{
    public string? MaSoDoanhNghiep { get; init; }
    public string? SoGcndkkd { get; init; }
    public string? TenTiengViet { get; init; }
    public string? MaLoaiHinhDn { get; init; }
    public string? NgayDangKyLanDau { get; init; }
    public string? TinhTrangPhapLy { get; init; }
    public IReadOnlyList<DaiDienPhapLuat> DaiDienPhapLuat { get; init; } = [];
    public IReadOnlyList<DiaChi> DiaChiTruSo { get; init; } = [];
    public IReadOnlyList<NganhNghe> NganhNgheKinhDoanh { get; init; } = [];
}

public sealed record InsuranceQuery
{
    public string? MaSoBhxh { get; init; }
    public string? SoDinhDanh { get; init; }
    public LookupContext Context { get; init; } = new();
}

public sealed record QuaTrinhThamGia
{
    public string? TuThang { get; init; }
    public string? DenThang { get; init; }
    public string? MaSoThueDonVi { get; init; }
    public string? TenDonVi { get; init; }
    public string? LoaiHinh { get; init; }
}

public sealed record TheBhyt
{
    public string? MaThe { get; init; }
    public string? GiaTriTu { get; init; }
    public string? GiaTriDen { get; init; }
    public string? NoiDangKyKcb { get; init; }
}

public sealed record SoBhxh
{
    public string? MaSoBhxh { get; init; }
    public string? SoDinhDanh { get; init; }
    public string? HoVaTen { get; init; }
    public string? NgayThangNamSinh { get; init; }
    public string? GioiTinh { get; init; }
    public IReadOnlyList<QuaTrinhThamGia> QuaTrinhThamGia { get; init; } = [];
    public TheBhyt? TheBhyt { get; init; }
}

public sealed record LandParcelQuery
{
    public string? MaPhuongXa { get; init; }
    public int SoHieuBanDo { get; init; }
    public int SoThuTuThua { get; init; }
    public LookupContext Context { get; init; } = new();
}

public sealed record GiayChungNhan
{
    public string? SoPhatHanh { get; init; }
    public string? SoVaoSo { get; init; }
    public string? NgayCap { get; init; }
    public IReadOnlyList<NguoiLienQuan> ChuSuDung { get; init; } = [];
}

public sealed record ThuaDat
{
    public int SoThuTuThua { get; init; }
    public int SoHieuBanDo { get; init; }
    public string? MaPhuongXa { get; init; }
    public double DienTich { get; init; }
    public string? DiaChiChiTiet { get; init; }
    public string? MucDichSuDung { get; init; }
    public GiayChungNhan? GiayChungNhan { get; init; }
}

/// <summary>What the hub adds to every lookup reply.</summary>
public sealed record LookupMeta
{
    /// <summary>Request id the hub sent upstream (MaYeuCau); quote it when asking about this exchange.</summary>
    public required string MaYeuCau { get; init; }

    /// <summary>Upstream that answered: population, business, insurance, land.</summary>
    public required string Nguon { get; init; }

    /// <summary>Mapping id@version used for the reply.</summary>
    public required string MappingVersion { get; init; }
}

public sealed record LookupResult<TRecord>(TRecord Record, LookupMeta Meta);
