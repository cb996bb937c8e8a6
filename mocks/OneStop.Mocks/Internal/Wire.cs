using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneStop.Mocks.Internal;

// The exact JSON shapes of docs/adapters.md. Property names are the wire names: do not rename.

internal sealed record TokenReply(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record ErrorReply([property: JsonPropertyName("error")] string Error);

internal sealed record FaultsRequest
{
    [JsonPropertyName("latencyMs")] public int? LatencyMs { get; init; }
    [JsonPropertyName("status5xx")] public int? Status5xx { get; init; }
    [JsonPropertyName("malformedBody")] public bool? MalformedBody { get; init; }
    [JsonPropertyName("expireTokens")] public bool? ExpireTokens { get; init; }
    [JsonPropertyName("connectionReset")] public bool? ConnectionReset { get; init; }
}

internal sealed record FaultsState(
    [property: JsonPropertyName("latencyMs")] int LatencyMs,
    [property: JsonPropertyName("status5xx")] int Status5xx,
    [property: JsonPropertyName("malformedBody")] bool MalformedBody,
    [property: JsonPropertyName("connectionReset")] bool ConnectionReset);

internal sealed record CallsReply([property: JsonPropertyName("businessCalls")] int BusinessCalls);

// ---------------------------------------------------------------- population

internal sealed record PopulationRequest
{
    public string? MaYeuCau { get; init; }
    public string? MaDVC { get; init; }
    public string? MaTichHop { get; init; }
    public string? MaDonVi { get; init; }
    public string? MaCanBo { get; init; }
    public string? SoDinhDanh { get; init; }
    public string? SoCMND { get; init; }
    public string? HoVaTen { get; init; }
    public string? NgayThangNamSinh { get; init; }
}

internal sealed record PopulationReply(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string Message);

// ---------------------------------------------------------------- business

internal sealed record BusinessReply(EntCert? GetEntCert);

internal sealed record EntCert(
    string MaSoDoanhNghiep,
    string SoGCNDKKD,
    string TenTiengViet,
    string MaLoaiHinhDN,
    string NgayDangKyLanDau,
    string TinhTrangPhapLy,
    IReadOnlyList<EntRepresentative> DaiDienPhapLuat,
    IReadOnlyList<WireAddress> DiaChiTruSo,
    IReadOnlyList<EntLine> NganhNgheKinhDoanh);

internal sealed record EntRepresentative(string HoVaTen, string ChucDanh, string SoDinhDanh);

internal sealed record WireAddress(string MaTinhThanh, string MaPhuongXa, string ChiTiet);

internal sealed record EntLine(string MaNganh, string TenNganh, bool LaNganhChinh);

// ---------------------------------------------------------------- insurance

internal sealed record InsuranceRequest
{
    public string? MaSoBHXH { get; init; }
    public string? SoDinhDanh { get; init; }
}

internal sealed record InsuranceReply(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("result")] IReadOnlyList<InsuranceItem> Result);

internal sealed record InsuranceItem(
    string MaSoBHXH,
    string SoDinhDanh,
    string HoTen,
    string NgaySinh,
    string GioiTinh,
    IReadOnlyList<InsurancePeriod> QuaTrinhThamGia,
    InsuranceCard TheBHYT);

internal sealed record InsurancePeriod(string TuThang, string DenThang, string MaSoThue, string TenDonVi, string LoaiHinh);

internal sealed record InsuranceCard(string MaThe, string GiaTriTu, string GiaTriDen, string NoiDangKyKCB);

// ---------------------------------------------------------------- land

internal sealed record LandReply(
    [property: JsonPropertyName("data")] LandData? Data,
    [property: JsonPropertyName("status")] LandStatus Status);

internal sealed record LandStatus(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

internal sealed record LandData(
    int SoThuTuThua,
    int SoHieuBanDo,
    string MaPhuongXa,
    double DienTich,
    string DiaChiChiTiet,
    string MucDichSuDung,
    LandCertificateData GiayChungNhan);

internal sealed record LandCertificateData(string SoPhatHanh, string SoVaoSo, string NgayCap, IReadOnlyList<LandUserData> ChuSuDung);

internal sealed record LandUserData(string HoVaTen, string SoDinhDanh);

// ---------------------------------------------------------------- destinations (test inspection)

internal sealed record SideEffectsState(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("duplicatesSuppressed")] int DuplicatesSuppressed,
    [property: JsonPropertyName("sideEffects")] IReadOnlyList<SideEffect> SideEffects);

internal sealed record RejectedState([property: JsonPropertyName("rejected")] IReadOnlyList<string> Rejected);

[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(TokenReply))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(FaultsRequest))]
[JsonSerializable(typeof(FaultsState))]
[JsonSerializable(typeof(CallsReply))]
[JsonSerializable(typeof(PopulationRequest))]
[JsonSerializable(typeof(PopulationReply))]
[JsonSerializable(typeof(BusinessReply))]
[JsonSerializable(typeof(InsuranceRequest))]
[JsonSerializable(typeof(InsuranceReply))]
[JsonSerializable(typeof(LandReply))]
[JsonSerializable(typeof(SideEffectsState))]
[JsonSerializable(typeof(RejectedState))]
[JsonSerializable(typeof(PostalTrackingEvent[]))]
internal sealed partial class WireJsonContext : JsonSerializerContext
{
    /// <summary>Writes Vietnamese letters as UTF-8 rather than \u escapes, so replies read well in curl.</summary>
    public static WireJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
