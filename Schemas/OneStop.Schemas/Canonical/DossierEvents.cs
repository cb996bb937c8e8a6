namespace OneStop.Schemas.Canonical;

// Canonical dossier event: what a one-stop system published, as the hub stores it in Kafka and hands it to
// delivery adapters. JSON names are lower snake case, exactly as in Protos/onestop/v1/dossier.proto.

public sealed record TaiLieu
{
    public string? TepDinhKemId { get; init; }
    public string? TenTepDinhKem { get; init; }
    public bool IsDeleted { get; init; }
    public string? MaThanhPhanHoSo { get; init; }
    public string? DuongDanTaiTepTin { get; init; }
}

public sealed record LePhi
{
    public string? TenPhiLePhi { get; init; }
    public string? MaPhiLePhi { get; init; }
    public int HinhThucThu { get; init; }
    public long Gia { get; init; }
    public int LoaiPhiLePhi { get; init; }
}

public sealed record GiayToKetQua
{
    public string? TenGiayTo { get; init; }
    public string? MaThanhPhanHoSo { get; init; }
    public string? GiayToId { get; init; }
    public string? DuongDanTepTinKetQua { get; init; }
}

public sealed record DinhDanhChuHoSo
{
    public string? LoaiDinhDanh { get; init; }
    public string? SoDinhDanh { get; init; }
}

public sealed record BuocXuLy
{
    public string? NguoiXuLy { get; init; }
    public string? ChucDanh { get; init; }
    public DateTimeOffset? ThoiDiemXuLy { get; init; }
    public string? PhongBanXuLy { get; init; }
    public string? NoiDungXuLy { get; init; }
    public DateTimeOffset? NgayBatDau { get; init; }
    public DateTimeOffset? NgayKetThucTheoQuyDinh { get; init; }
}

public sealed record DiaChiNhanKetQua
{
    public string? HoTenNguoiNhan { get; init; }
    public string? DiaChi { get; init; }
    public string? SoDienThoai { get; init; }
    public string? MaTinhThanh { get; init; }
    public string? MaPhuongXa { get; init; }
    public string? Email { get; init; }
}

/// <summary>A dossier event as the hub keeps it: the published fields plus the hub's own metadata.</summary>
public sealed record DossierEvent
{
    /// <summary>The hub's id: derived from (client, client_event_id), so a re-published event keeps its id.</summary>
    public required string EventId { get; init; }

    public required string ClientEventId { get; init; }

    /// <summary>Client id of the one-stop system that published it.</summary>
    public required string Client { get; init; }

    /// <summary>When the hub accepted it.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    public required string MaHoSo { get; init; }
    public string? MaTthc { get; init; }
    public string? TenTthc { get; init; }
    public string? MaLinhVuc { get; init; }
    public string? TenLinhVuc { get; init; }

    /// <summary>National portal status 1..10.</summary>
    [System.ComponentModel.DataAnnotations.AllowedValues(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    public int TrangThaiHoSo { get; init; }

    public DateTimeOffset? NgayTiepNhan { get; init; }
    public DateTimeOffset? NgayHenTra { get; init; }
    public DateTimeOffset? NgayTra { get; init; }
    public DateTimeOffset? NgayKetThucXuLy { get; init; }
    public string? DonViXuLy { get; init; }

    /// <summary>1 in person, 2 online, 3 by post.</summary>
    [System.ComponentModel.DataAnnotations.AllowedValues(1, 2, 3)]
    public int KenhThucHien { get; init; }

    /// <summary>0 result returned in person, 1 by post.</summary>
    [System.ComponentModel.DataAnnotations.AllowedValues(0, 1)]
    public int HinhThuc { get; init; }

    public string? ChuHoSo { get; init; }

    /// <summary>1 citizen, 2 business, 3 state agency, 4 organisation.</summary>
    [System.ComponentModel.DataAnnotations.AllowedValues(1, 2, 3, 4)]
    public int LoaiDoiTuong { get; init; }

    public string? MaDoiTuong { get; init; }
    public string? SoGiayToChuHoSo { get; init; }
    public string? Email { get; init; }
    public string? SoDienThoai { get; init; }
    public string? TrichYeuHoSo { get; init; }
    public IReadOnlyList<TaiLieu> TaiLieuNop { get; init; } = [];
    public IReadOnlyList<LePhi> DanhSachLePhi { get; init; } = [];
    public IReadOnlyList<GiayToKetQua> DanhSachGiayToKetQua { get; init; } = [];
    public IReadOnlyList<DinhDanhChuHoSo> DinhDanhChs { get; init; } = [];
    public BuocXuLy? BuocXuLy { get; init; }
    public DiaChiNhanKetQua? DiaChiNhanKetQua { get; init; }

    /// <summary>Account the citizen signed in with (VNeID, …); null when not signed in.</summary>
    public string? TaiKhoanXacThuc { get; init; }

    public bool TuDvcqg { get; init; }

    /// <summary>Service level 0, 1, 3 or 4 (the old level 2 is refused at publication).</summary>
    [System.ComponentModel.DataAnnotations.AllowedValues(0, 1, 3, 4)]
    public int MucDo { get; init; }
}
