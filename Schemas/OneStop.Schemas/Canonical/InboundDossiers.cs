using System.Text.Json.Serialization;

namespace OneStop.Schemas.Canonical;

// Inbound dossiers (national portal -> province) as the hub keeps them on Kafka and hands them to subscribers.
// JSON names are lower snake case, exactly as in Protos/onestop/v1/inbound.proto.

/// <summary>A submitted document. The file itself never travels in the record: <see cref="Sha256"/> names it in the attachment store (claim-check).</summary>
public sealed record InboundDocument
{
    public string? TepDinhKemId { get; init; }
    public string? TenTepDinhKem { get; init; }
    public string? MaThanhPhanHoSo { get; init; }

    /// <summary>Where the portal serves the file (LayTaiLieuHoSo duongdanteptin).</summary>
    public string? DuongDanTaiTepTin { get; init; }

    /// <summary>Hex SHA-256 of the file content, the key in the attachment store; null when the hub has not fetched it.</summary>
    public string? Sha256 { get; init; }

    public long SizeBytes { get; init; }
}

/// <summary>A dossier a citizen submitted on the national portal, in canonical fields.</summary>
public sealed record InboundDossier
{
    public required string MaHoSo { get; init; }
    public required string MaTthc { get; init; }
    public string? TenTthc { get; init; }
    public string? MaLinhVuc { get; init; }
    public string? TenLinhVuc { get; init; }
    public required string DonViXuLy { get; init; }
    public required string ChuHoSo { get; init; }
    public int LoaiDoiTuong { get; init; }
    public string? MaDoiTuong { get; init; }
    public string? SoGiayToChuHoSo { get; init; }
    public string? Email { get; init; }
    public string? SoDienThoai { get; init; }
    public string? TrichYeuHoSo { get; init; }
    public required DateTimeOffset NgayTiepNhan { get; init; }
    public DateTimeOffset? NgayHenTra { get; init; }
    public int TrangThaiHoSo { get; init; }
    public int HinhThuc { get; init; }
    public int KenhThucHien { get; init; }
    public IReadOnlyList<InboundDocument> TaiLieuNop { get; init; } = [];
    public IReadOnlyList<LePhi> DanhSachLePhi { get; init; } = [];
    public IReadOnlyList<DinhDanhChuHoSo> DinhDanhChs { get; init; } = [];
}

/// <summary>What the postal operator reported about a returned result (tracking feed).</summary>
public sealed record PostalTrackingUpdate
{
    public required string MaHoSo { get; init; }
    public required long TrackingId { get; init; }
    public string? ItemCode { get; init; }
    public required string StatusCode { get; init; }
    public string? StatusMessage { get; init; }

    /// <summary>picked_up, in_transit, delivered, returned, created, cancelled or other.</summary>
    public required string Stage { get; init; }

    public DateTimeOffset? EventTime { get; init; }
    public string? PostOffice { get; init; }
}

/// <summary>One record of the inbound topic (keyed by the receiving agency): a dossier or a postal tracking update.</summary>
public sealed record InboundRecord
{
    public const string DossierKind = "dossier";
    public const string PostalTrackingKind = "postal_tracking";

    /// <summary>Stable id of the content (the same dossier always has the same id), for subscribers' own de-duplication.</summary>
    public required string MessageId { get; init; }

    public required string Kind { get; init; }

    /// <summary>The receiving agency (DonViXuLy): the record key.</summary>
    public required string Agency { get; init; }

    /// <summary>push, pull or postal.</summary>
    public required string Source { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public InboundDossier? Dossier { get; init; }

    public PostalTrackingUpdate? PostalTracking { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InboundRecord))]
public sealed partial class InboundJson : JsonSerializerContext;
