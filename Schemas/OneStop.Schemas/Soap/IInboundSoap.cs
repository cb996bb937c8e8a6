// SOAP contract of /soap/inbound (document/literal): the portal pushes dossiers (NhanHoSo), and one-stop systems
// that cannot hold a gRPC stream take their next batch (LayHoSoMoi) and acknowledge it (XacNhanDaNhan).
// Dossier fields keep the portal's DongBoHoSoMC names; values are text, dates yyyyMMddHHmmss (Asia/Ho_Chi_Minh).
using System.Runtime.Serialization;
using System.ServiceModel;

namespace OneStop.Schemas.Soap;

public static class InboundSoapNamespace
{
    public const string Value = "http://onestop.lgsp/inbound/v1";
}

[ServiceContract(Namespace = InboundSoapNamespace.Value, Name = "InboundService")]
public interface IInboundSoap
{
    /// <summary>The portal's push: one result per dossier (accepted, duplicate, invalid with the field and rule).</summary>
    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<NhanHoSoReply> NhanHoSo(NhanHoSoRequest request);

    /// <summary>The next batch of unacknowledged messages for the caller's agencies.</summary>
    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<LayHoSoMoiReply> LayHoSoMoi(LayHoSoMoiRequest request);

    /// <summary>Acknowledges messages by DeliveryId; durable when it answers.</summary>
    [OperationContract]
    [FaultContract(typeof(LookupFault))]
    Task<XacNhanDaNhanReply> XacNhanDaNhan(XacNhanDaNhanRequest request);
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class TepHoSo
{
    [DataMember(Order = 1, EmitDefaultValue = false)] public string? TepDinhKemId { get; set; }
    [DataMember(Order = 2, EmitDefaultValue = false)] public string? TenTepDinhKem { get; set; }
    [DataMember(Order = 3, EmitDefaultValue = false)] public string? MaThanhPhanHoSo { get; set; }
    [DataMember(Order = 4, EmitDefaultValue = false)] public string? DuongDanTaiTepTin { get; set; }

    /// <summary>Inline content (push); never sent back to subscribers, who get <see cref="Sha256"/> instead.</summary>
    [DataMember(Order = 5, EmitDefaultValue = false)] public string? Base64 { get; set; }

    [DataMember(Order = 6, EmitDefaultValue = false)] public string? Sha256 { get; set; }
    [DataMember(Order = 7, EmitDefaultValue = false)] public long KichThuoc { get; set; }
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class PhiLePhi
{
    [DataMember(Order = 1, EmitDefaultValue = false)] public string? TenPhiLePhi { get; set; }
    [DataMember(Order = 2, EmitDefaultValue = false)] public string? MaPhiLePhi { get; set; }
    [DataMember(Order = 3, EmitDefaultValue = false)] public string? HinhThucThu { get; set; }
    [DataMember(Order = 4, EmitDefaultValue = false)] public string? Gia { get; set; }
    [DataMember(Order = 5, EmitDefaultValue = false)] public string? LoaiPhiLePhi { get; set; }
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class DinhDanh
{
    [DataMember(Order = 1, EmitDefaultValue = false)] public string? LoaiDinhDanh { get; set; }
    [DataMember(Order = 2, EmitDefaultValue = false)] public string? SoDinhDanh { get; set; }
}

/// <summary>A dossier in the portal's DongBoHoSoMC item shape.</summary>
[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class HoSoMC
{
    [DataMember(Order = 1, EmitDefaultValue = false)] public string? MaHoSo { get; set; }
    [DataMember(Order = 2, EmitDefaultValue = false)] public string? MaTTHC { get; set; }
    [DataMember(Order = 3, EmitDefaultValue = false)] public string? TenTTHC { get; set; }
    [DataMember(Order = 4, EmitDefaultValue = false)] public string? MaLinhVuc { get; set; }
    [DataMember(Order = 5, EmitDefaultValue = false)] public string? TenLinhVuc { get; set; }
    [DataMember(Order = 6, EmitDefaultValue = false)] public string? ChuHoSo { get; set; }
    [DataMember(Order = 7, EmitDefaultValue = false)] public string? LoaiDoiTuong { get; set; }
    [DataMember(Order = 8, EmitDefaultValue = false)] public string? MaDoiTuong { get; set; }
    [DataMember(Order = 9, EmitDefaultValue = false)] public string? Email { get; set; }
    [DataMember(Order = 10, EmitDefaultValue = false)] public string? SoDienThoai { get; set; }
    [DataMember(Order = 11, EmitDefaultValue = false)] public string? TrichYeuHoSo { get; set; }
    [DataMember(Order = 12, EmitDefaultValue = false)] public string? NgayTiepNhan { get; set; }
    [DataMember(Order = 13, EmitDefaultValue = false)] public string? NgayHenTra { get; set; }
    [DataMember(Order = 14, EmitDefaultValue = false)] public string? TrangThaiHoSo { get; set; }
    [DataMember(Order = 15, EmitDefaultValue = false)] public string? HinhThuc { get; set; }
    [DataMember(Order = 16, EmitDefaultValue = false)] public string? DonViXuLy { get; set; }
    [DataMember(Order = 17, EmitDefaultValue = false)] public string? KenhThucHien { get; set; }
    [DataMember(Order = 18, EmitDefaultValue = false)] public string? SoGiayToChuHoSo { get; set; }
    [DataMember(Order = 19, EmitDefaultValue = false)] public List<TepHoSo> TaiLieuNop { get; set; } = [];
    [DataMember(Order = 20, EmitDefaultValue = false)] public List<PhiLePhi> DanhSachLePhi { get; set; } = [];
    [DataMember(Order = 21, EmitDefaultValue = false)] public List<DinhDanh> DinhDanhCHS { get; set; } = [];
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class NhanHoSoRequest
{
    [DataMember(Order = 1)] public List<HoSoMC> Data { get; set; } = [];
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class KetQuaHoSo
{
    [DataMember(Order = 1, EmitDefaultValue = false)] public string? MaHoSo { get; set; }

    /// <summary>accepted, duplicate or invalid.</summary>
    [DataMember(Order = 2)] public string Status { get; set; } = "";

    [DataMember(Order = 3, EmitDefaultValue = false)] public string? Error { get; set; }
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class NhanHoSoReply
{
    [DataMember(Order = 1)] public string ErrorCode { get; set; } = "0";
    [DataMember(Order = 2)] public string Message { get; set; } = "";
    [DataMember(Order = 3)] public List<KetQuaHoSo> Result { get; set; } = [];
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class LayHoSoMoiRequest
{
    /// <summary>Agency codes (MaDonVi); empty = every agency of Inbound:Agencies the caller owns.</summary>
    [DataMember(Order = 1)] public List<string> DonViXuLy { get; set; } = [];

    /// <summary>1..500; 0 = 100.</summary>
    [DataMember(Order = 2)] public int SoLuongToiDa { get; set; }
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class TheoDoiBuuChinh
{
    [DataMember(Order = 1, EmitDefaultValue = false)] public string? MaHoSo { get; set; }
    [DataMember(Order = 2, EmitDefaultValue = false)] public long TrackingId { get; set; }
    [DataMember(Order = 3, EmitDefaultValue = false)] public string? ItemCode { get; set; }
    [DataMember(Order = 4, EmitDefaultValue = false)] public string? StatusCode { get; set; }
    [DataMember(Order = 5, EmitDefaultValue = false)] public string? StatusMessage { get; set; }
    [DataMember(Order = 6, EmitDefaultValue = false)] public string? Stage { get; set; }
    [DataMember(Order = 7, EmitDefaultValue = false)] public string? EventTime { get; set; }
    [DataMember(Order = 8, EmitDefaultValue = false)] public string? PostOffice { get; set; }
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class HoSoMoi
{
    [DataMember(Order = 1)] public string DeliveryId { get; set; } = "";
    [DataMember(Order = 2)] public string MessageId { get; set; } = "";
    [DataMember(Order = 3)] public string Kind { get; set; } = "";
    [DataMember(Order = 4)] public string Agency { get; set; } = "";
    [DataMember(Order = 5)] public string Source { get; set; } = "";
    [DataMember(Order = 6)] public string ReceivedAt { get; set; } = "";
    [DataMember(Order = 7, EmitDefaultValue = false)] public HoSoMC? HoSo { get; set; }
    [DataMember(Order = 8, EmitDefaultValue = false)] public TheoDoiBuuChinh? BuuChinh { get; set; }
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class LayHoSoMoiReply
{
    [DataMember(Order = 1)] public List<HoSoMoi> Messages { get; set; } = [];
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class XacNhanDaNhanRequest
{
    [DataMember(Order = 1)] public List<string> DeliveryIds { get; set; } = [];
}

[DataContract(Namespace = InboundSoapNamespace.Value)]
public sealed class XacNhanDaNhanReply
{
    [DataMember(Order = 1)] public int Acknowledged { get; set; }
}
