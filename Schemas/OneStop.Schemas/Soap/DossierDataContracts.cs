// SOAP data contracts of /soap/dossier (document/literal): the same event as gRPC onestop.v1.DossierService,
// with the national portal's element names. Times are ISO 8601 with offset, as on gRPC.
using System.Runtime.Serialization;

namespace OneStop.Schemas.Soap;

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class TaiLieu
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? TepDinhKemId { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? TenTepDinhKem { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public bool IsDeleted { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? MaThanhPhanHoSo { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? DuongDanTaiTepTin { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class LePhi
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? TenPhiLePhi { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? MaPhiLePhi { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public int HinhThucThu { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public long Gia { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public int LoaiPhiLePhi { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class GiayToKetQua
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? TenGiayTo { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? MaThanhPhanHoSo { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? GiayToId { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? DuongDanTepTinKetQua { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class DinhDanhChuHoSo
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? LoaiDinhDanh { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class BuocXuLy
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? NguoiXuLy { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? ChucDanh { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? ThoiDiemXuLy { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? PhongBanXuLy { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? NoiDungXuLy { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public string? NgayBatDau { get; set; }

    [DataMember(Order = 7, EmitDefaultValue = false)]
    public string? NgayKetThucTheoQuyDinh { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class DiaChiNhanKetQua
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? HoTenNguoiNhan { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? DiaChi { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? SoDienThoai { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? MaTinhThanh { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? MaPhuongXa { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public string? Email { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class DossierEvent
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? ClientEventId { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? MaHoSo { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? MaTTHC { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? TenTTHC { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? MaLinhVuc { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public string? TenLinhVuc { get; set; }

    [DataMember(Order = 7, EmitDefaultValue = false)]
    public int TrangThaiHoSo { get; set; }

    [DataMember(Order = 8, EmitDefaultValue = false)]
    public string? NgayTiepNhan { get; set; }

    [DataMember(Order = 9, EmitDefaultValue = false)]
    public string? NgayHenTra { get; set; }

    [DataMember(Order = 10, EmitDefaultValue = false)]
    public string? NgayTra { get; set; }

    [DataMember(Order = 11, EmitDefaultValue = false)]
    public string? NgayKetThucXuLy { get; set; }

    [DataMember(Order = 12, EmitDefaultValue = false)]
    public string? DonViXuLy { get; set; }

    [DataMember(Order = 13, EmitDefaultValue = false)]
    public int KenhThucHien { get; set; }

    [DataMember(Order = 14, EmitDefaultValue = false)]
    public int HinhThuc { get; set; }

    [DataMember(Order = 15, EmitDefaultValue = false)]
    public string? ChuHoSo { get; set; }

    [DataMember(Order = 16, EmitDefaultValue = false)]
    public int LoaiDoiTuong { get; set; }

    [DataMember(Order = 17, EmitDefaultValue = false)]
    public string? MaDoiTuong { get; set; }

    [DataMember(Order = 18, EmitDefaultValue = false)]
    public string? SoGiayToChuHoSo { get; set; }

    [DataMember(Order = 19, EmitDefaultValue = false)]
    public string? Email { get; set; }

    [DataMember(Order = 20, EmitDefaultValue = false)]
    public string? SoDienThoai { get; set; }

    [DataMember(Order = 21, EmitDefaultValue = false)]
    public string? TrichYeuHoSo { get; set; }

    [DataMember(Order = 22, EmitDefaultValue = false)]
    public List<TaiLieu> TaiLieuNop { get; set; } = [];

    [DataMember(Order = 23, EmitDefaultValue = false)]
    public List<LePhi> DanhSachLePhi { get; set; } = [];

    [DataMember(Order = 24, EmitDefaultValue = false)]
    public List<GiayToKetQua> DanhSachGiayToKetQua { get; set; } = [];

    [DataMember(Order = 25, EmitDefaultValue = false)]
    public List<DinhDanhChuHoSo> DinhDanhCHS { get; set; } = [];

    [DataMember(Order = 26, EmitDefaultValue = false)]
    public BuocXuLy? BuocXuLy { get; set; }

    [DataMember(Order = 27, EmitDefaultValue = false)]
    public DiaChiNhanKetQua? DiaChiNhanKetQua { get; set; }

    [DataMember(Order = 28, EmitDefaultValue = false)]
    public string? TaiKhoanXacThuc { get; set; }

    [DataMember(Order = 29, EmitDefaultValue = false)]
    public bool TuDVCQG { get; set; }

    [DataMember(Order = 30, EmitDefaultValue = false)]
    public int MucDo { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Dossier)]
public sealed class PublishEventReply
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? EventId { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? ClientEventId { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public bool Duplicate { get; set; }
}
