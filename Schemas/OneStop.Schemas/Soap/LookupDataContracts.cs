// SOAP data contracts of /soap/lookup (document/literal). Element names are the national systems' names.
// Classes with settable properties because DataContractSerializer and WCF clients need them.
using System.Runtime.Serialization;

namespace OneStop.Schemas.Soap;

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class LookupContext
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaDonVi { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? MaCanBo { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? MucDich { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? MaHoSo { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class LookupMeta
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaYeuCau { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? Nguon { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? MappingVersion { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class DiaChi
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaTinhThanh { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? MaPhuongXa { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? ChiTiet { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class NguoiLienQuan
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? HoVaTen { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? QuanHe { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class VerifyCitizenRequest
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoCMND { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? HoVaTen { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? NgayThangNamSinh { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public LookupContext? Context { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class CongDan
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoCMND { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? HoVaTen { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? GioiTinh { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? DanToc { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public string? TonGiao { get; set; }

    [DataMember(Order = 7, EmitDefaultValue = false)]
    public string? NgayThangNamSinh { get; set; }

    [DataMember(Order = 8, EmitDefaultValue = false)]
    public string? QuocTich { get; set; }

    [DataMember(Order = 9, EmitDefaultValue = false)]
    public DiaChi? ThuongTru { get; set; }

    [DataMember(Order = 10, EmitDefaultValue = false)]
    public DiaChi? NoiOHienTai { get; set; }

    [DataMember(Order = 11, EmitDefaultValue = false)]
    public NguoiLienQuan? ChuHo { get; set; }

    [DataMember(Order = 12, EmitDefaultValue = false)]
    public NguoiLienQuan? Cha { get; set; }

    [DataMember(Order = 13, EmitDefaultValue = false)]
    public NguoiLienQuan? Me { get; set; }

    [DataMember(Order = 14, EmitDefaultValue = false)]
    public NguoiLienQuan? VoChong { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class VerifyCitizenReply
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public CongDan? CongDan { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public LookupMeta? Meta { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GetEnterpriseRequest
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaSoDoanhNghiep { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public LookupContext? Context { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class DaiDienPhapLuat
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? HoVaTen { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? ChucDanh { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class NganhNghe
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaNganh { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? TenNganh { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public bool LaNganhChinh { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class DoanhNghiep
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaSoDoanhNghiep { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoGCNDKKD { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? TenTiengViet { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? MaLoaiHinhDN { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? NgayDangKyLanDau { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public string? TinhTrangPhapLy { get; set; }

    [DataMember(Order = 7, EmitDefaultValue = false)]
    public List<DaiDienPhapLuat> DaiDienPhapLuat { get; set; } = [];

    [DataMember(Order = 8, EmitDefaultValue = false)]
    public List<DiaChi> DiaChiTruSo { get; set; } = [];

    [DataMember(Order = 9, EmitDefaultValue = false)]
    public List<NganhNghe> NganhNgheKinhDoanh { get; set; } = [];
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GetEnterpriseReply
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public DoanhNghiep? DoanhNghiep { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public LookupMeta? Meta { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GetInsuranceRequest
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaSoBHXH { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public LookupContext? Context { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class QuaTrinhThamGia
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? TuThang { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? DenThang { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? MaSoThueDonVi { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? TenDonVi { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? LoaiHinh { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class TheBHYT
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaThe { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? GiaTriTu { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? GiaTriDen { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? NoiDangKyKCB { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class SoBHXH
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaSoBHXH { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoDinhDanh { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? HoVaTen { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? NgayThangNamSinh { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? GioiTinh { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public List<QuaTrinhThamGia> QuaTrinhThamGia { get; set; } = [];

    [DataMember(Order = 7, EmitDefaultValue = false)]
    public TheBHYT? TheBHYT { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GetInsuranceReply
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public SoBHXH? SoBHXH { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public LookupMeta? Meta { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GetLandParcelRequest
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? MaPhuongXa { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public int SoHieuBanDo { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public int SoThuTuThua { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public LookupContext? Context { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GiayChungNhan
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? SoPhatHanh { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? SoVaoSo { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? NgayCap { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public List<NguoiLienQuan> ChuSuDung { get; set; } = [];
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class ThuaDat
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public int SoThuTuThua { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public int SoHieuBanDo { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? MaPhuongXa { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public double DienTich { get; set; }

    [DataMember(Order = 5, EmitDefaultValue = false)]
    public string? DiaChiChiTiet { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)]
    public string? MucDichSuDung { get; set; }

    [DataMember(Order = 7, EmitDefaultValue = false)]
    public GiayChungNhan? GiayChungNhan { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class GetLandParcelReply
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public ThuaDat? ThuaDat { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public LookupMeta? Meta { get; set; }
}

[DataContract(Namespace = SoapNamespaces.Lookup)]
public sealed class LookupFault
{
    [DataMember(Order = 1, EmitDefaultValue = false)]
    public string? Code { get; set; }

    [DataMember(Order = 2, EmitDefaultValue = false)]
    public string? Field { get; set; }

    [DataMember(Order = 3, EmitDefaultValue = false)]
    public string? Upstream { get; set; }

    [DataMember(Order = 4, EmitDefaultValue = false)]
    public string? Message { get; set; }
}
