using System.Globalization;
using System.Text.Json.Nodes;
using OneStop.Hub.Soap;
using Shouldly;

namespace OneStop.IntegrationTests.StandardClients;

/// <summary>Which message a case sends: required elements only, every element, or one with a required value missing.</summary>
public enum MessageKind
{
    Minimal,
    Full,
    MissingRequired,
}

/// <summary>One call of one operation of one SOAP endpoint, as a standard client makes it, and what must come back.</summary>
/// <param name="Arguments">The operation element's children by name, as JSON: zeep takes them as keyword arguments,
/// PHP's SoapClient as the one parameter. A list is <c>{"ArrayElement": {"ItemElement": [ … ]}}</c>, as the WSDL has it.</param>
public sealed record SoapOperationCase(string Endpoint, string Operation, MessageKind Kind, JsonObject Arguments, Action<ClientResult> Expect)
{
    public override string ToString() => $"{Endpoint} {Operation} ({Kind})";
}

/// <summary>
/// Every operation of every SOAP endpoint, each with a minimal message, a full one and one missing a required value:
/// the table the standard-client tests run (the generator and hostile tests take their endpoints and values from it).
/// A new endpoint is a new entry in <see cref="Endpoints"/> and its cases in <see cref="Cases"/>; the tests check that
/// every operation its WSDL serves has all three kinds.
/// </summary>
public static class SoapOperations
{
    public const string Agency = "000.00.01.H56";

    /// <summary>Every SOAP endpoint the hub serves.</summary>
    public static IReadOnlyList<string> Endpoints { get; } =
        [SoapEndpoints.LookupPath, SoapEndpoints.GenericLookupPath, SoapEndpoints.DossierPath, SoapEndpoints.InboundPath];

    /// <summary>
    /// A delivery id of <see cref="Agency"/> far past anything the tests put on the inbound topic: acknowledging it is
    /// accepted (an acknowledgement needs no earlier fetch) and never hides a real message.
    /// </summary>
    public static string UnusedDeliveryId(int n) => FormattableString.Invariant($"{Agency}/0/{900_000_000 + n}");

    private static int _dossier = Random.Shared.Next(0, 500_000);

    /// <param name="client">The client's name, written into event ids so that runs and clients never collide.</param>
    public static IEnumerable<SoapOperationCase> Cases(string client)
    {
        var context = Obj(("MaDonVi", Agency), ("MaCanBo", "canbo.motcua01"), ("MucDich", "giai-quyet-tthc"), ("MaHoSo", Agency + "-261120-0001"));
        var lookup = SoapEndpoints.LookupPath;

        yield return new(lookup, "VerifyCitizen", MessageKind.Minimal, Request(("SoDinhDanh", "038085000123")),
            Reply(("CongDan.SoDinhDanh", "038085000123"), ("CongDan.HoVaTen", "Nguyễn Văn An"), ("Meta.Nguon", "population")));
        yield return new(lookup, "VerifyCitizen", MessageKind.Full,
            Request(("SoDinhDanh", "038085000123"), ("SoCMND", "172000123"), ("HoVaTen", "Nguyễn Văn An"), ("NgayThangNamSinh", "1985-03-15"), ("Context", context)),
            Reply(("CongDan.SoCMND", "172000123"), ("CongDan.ThuongTru.MaTinhThanh", "38"), ("CongDan.ChuHo.QuanHe", "Chủ hộ")));
        yield return new(lookup, "VerifyCitizen", MessageKind.MissingRequired, Request(("HoVaTen", "Nguyễn Văn An")), ClientFault("INVALID_ARGUMENT", "SoDinhDanh"));

        yield return new(lookup, "GetEnterprise", MessageKind.Minimal, Request(("MaSoDoanhNghiep", "2801234564")),
            Reply(("DoanhNghiep.TenTiengViet", "Công ty TNHH Một Cửa Số"), ("DoanhNghiep.NganhNgheKinhDoanh.NganhNghe[0].MaNganh", "6201")));
        yield return new(lookup, "GetEnterprise", MessageKind.Full, Request(("MaSoDoanhNghiep", "2801234564"), ("Context", context)),
            Reply(("DoanhNghiep.DaiDienPhapLuat.DaiDienPhapLuat[0].ChucDanh", "Giám đốc"), ("Meta.Nguon", "business")));
        yield return new(lookup, "GetEnterprise", MessageKind.MissingRequired, Request(("Context", context)), ClientFault("INVALID_ARGUMENT", "MaSoDoanhNghiep"));

        yield return new(lookup, "GetInsurance", MessageKind.Minimal, Request(("MaSoBHXH", "3820000123")),
            Reply(("SoBHXH.SoDinhDanh", "038085000123"), ("SoBHXH.TheBHYT.MaThe", "DN4383820000123")));
        yield return new(lookup, "GetInsurance", MessageKind.Full, Request(("MaSoBHXH", "3820000123"), ("SoDinhDanh", "038085000123"), ("Context", context)),
            Reply(("SoBHXH.MaSoBHXH", "3820000123"), ("Meta.Nguon", "insurance")));
        yield return new(lookup, "GetInsurance", MessageKind.MissingRequired, Request(), ClientFault("INVALID_ARGUMENT", "MaSoBHXH"));

        yield return new(lookup, "GetLandParcel", MessageKind.Minimal, Request(("MaPhuongXa", "16012"), ("SoHieuBanDo", 12), ("SoThuTuThua", 345)),
            Reply(("ThuaDat.SoThuTuThua", "345"), ("ThuaDat.GiayChungNhan.SoPhatHanh", "CS 123456")));
        yield return new(lookup, "GetLandParcel", MessageKind.Full, Request(("MaPhuongXa", "16012"), ("SoHieuBanDo", 12), ("SoThuTuThua", 345), ("Context", context)),
            Reply(("ThuaDat.GiayChungNhan.ChuSuDung.NguoiLienQuan[0].SoDinhDanh", "038085000123"), ("Meta.Nguon", "land")));
        yield return new(lookup, "GetLandParcel", MessageKind.MissingRequired, Request(("SoHieuBanDo", 12), ("SoThuTuThua", 345)), ClientFault("INVALID_ARGUMENT", "MaPhuongXa"));

        var generic = SoapEndpoints.GenericLookupPath;
        var parameter = Obj(("LookupParameter", new JsonArray(Obj(("Name", "so_dang_ky"), ("Value", "125/2026")))));
        yield return new(generic, "GenericLookup", MessageKind.Minimal, Request(("Upstream", "civil-status"), ("Parameters", parameter)),
            Reply(("Meta.Nguon", "civil-status"), ("Meta.MappingVersion", "civil-status.reply@1")));
        yield return new(generic, "GenericLookup", MessageKind.Full, Request(("Upstream", "civil-status"), ("Parameters", parameter.DeepClone()), ("Context", context)),
            Reply(("Meta.Nguon", "civil-status"), ("Fields.LookupField[0].Path", null)));
        yield return new(generic, "GenericLookup", MessageKind.MissingRequired, Request(("Parameters", parameter.DeepClone())), ClientFault("INVALID_ARGUMENT", "Upstream"));

        var dossier = SoapEndpoints.DossierPath;
        yield return new(dossier, "PublishEvent", MessageKind.Minimal, Event(MinimalEvent(client)), Accepted());
        yield return new(dossier, "PublishEvent", MessageKind.Full, Event(FullEvent(client)), Accepted());
        var missing = MinimalEvent(client);
        missing.Remove("MaHoSo");
        yield return new(dossier, "PublishEvent", MessageKind.MissingRequired, Event(missing), ClientFault("INVALID_ARGUMENT", "MaHoSo"));

        // The portal's push answers per dossier (accepted, duplicate, invalid with the rule), as DongBoHoSoMC does; a
        // request without any dossier is the caller's fault. The hub under test has no Inbound:Agencies, so LayHoSoMoi
        // needs DonViXuLy; XacNhanDaNhan needs at least one DeliveryId.
        var inbound = SoapEndpoints.InboundPath;
        yield return new(inbound, "NhanHoSo", MessageKind.Minimal, Push(MinimalDossier()),
            Reply(("ErrorCode", "0"), ("Result.KetQuaHoSo.Status", "accepted"), ("Message", "1 accepted, 0 duplicate, 0 invalid")));
        yield return new(inbound, "NhanHoSo", MessageKind.Full, Push(FullDossier()),
            Reply(("ErrorCode", "0"), ("Result.KetQuaHoSo.Status", "accepted")));
        yield return new(inbound, "NhanHoSo", MessageKind.MissingRequired, Obj(("request", Obj())), ClientFault("INVALID_ARGUMENT", "Data"));

        // The pushes above are on the topic by now (NhanHoSo answers after Kafka acknowledged them).
        var agencies = Obj(("string", new JsonArray(Agency)));
        yield return new(inbound, "LayHoSoMoi", MessageKind.Minimal, Request(("DonViXuLy", agencies)),
            Reply(("Messages.HoSoMoi.Agency", Agency), ("Messages.HoSoMoi.Kind", "dossier"), ("Messages.HoSoMoi.HoSo.DonViXuLy", Agency)));
        yield return new(inbound, "LayHoSoMoi", MessageKind.Full, Request(("DonViXuLy", agencies.DeepClone()), ("SoLuongToiDa", 2)),
            Reply(("Messages.HoSoMoi[1].Source", "push"), ("Messages.HoSoMoi.DeliveryId", null)));
        yield return new(inbound, "LayHoSoMoi", MessageKind.MissingRequired, Request(("SoLuongToiDa", 2)), ClientFault("INVALID_ARGUMENT", "DonViXuLy"));

        yield return new(inbound, "XacNhanDaNhan", MessageKind.Minimal, Request(("DeliveryIds", Obj(("string", new JsonArray(UnusedDeliveryId(1)))))),
            Reply(("Acknowledged", "1")));
        yield return new(inbound, "XacNhanDaNhan", MessageKind.Full, Request(("DeliveryIds", Obj(("string", new JsonArray(UnusedDeliveryId(2), UnusedDeliveryId(3)))))),
            Reply(("Acknowledged", "2")));
        yield return new(inbound, "XacNhanDaNhan", MessageKind.MissingRequired, Request(), ClientFault("INVALID_ARGUMENT", "DeliveryIds"));
    }

    /// <summary>A dossier the portal pushes, with what the hub requires of it only.</summary>
    public static JsonObject MinimalDossier() => Obj(
        ("MaHoSo", NewMaHoSo()), ("MaTTHC", "1.001234.000.00.00.H56"), ("DonViXuLy", Agency), ("ChuHoSo", "Nguyễn Văn An"),
        ("LoaiDoiTuong", "1"), ("SoGiayToChuHoSo", "038085000123"), ("NgayTiepNhan", "20261120083000"));

    /// <summary>A dossier the portal pushes with every element, its file inline (Base64).</summary>
    public static JsonObject FullDossier() => Obj(
        ("MaHoSo", NewMaHoSo()), ("MaTTHC", "1.001234.000.00.00.H56"), ("TenTTHC", "Đăng ký khai sinh"), ("MaLinhVuc", "G13-HT01"),
        ("TenLinhVuc", "Hộ tịch"), ("ChuHoSo", "Nguyễn Văn An"), ("LoaiDoiTuong", "1"), ("MaDoiTuong", "CD-0001"), ("Email", "an@example.vn"),
        ("SoDienThoai", "0912345678"), ("TrichYeuHoSo", "Đăng ký khai sinh cho con"), ("NgayTiepNhan", "20261120083000"),
        ("NgayHenTra", "20261125170000"), ("TrangThaiHoSo", "2"), ("HinhThuc", "1"), ("DonViXuLy", Agency), ("KenhThucHien", "2"),
        ("SoGiayToChuHoSo", "038085000123"),
        ("TaiLieuNop", Obj(("TepHoSo", new JsonArray(Obj(("TepDinhKemId", "tep-1"), ("TenTepDinhKem", "to-khai.pdf"), ("MaThanhPhanHoSo", "TP1"),
            ("DuongDanTaiTepTin", "files/tep-1"), ("Base64", Convert.ToBase64String("%PDF to khai"u8)), ("Sha256", "0"), ("KichThuoc", 12)))))),
        ("DanhSachLePhi", Obj(("PhiLePhi", new JsonArray(Obj(("TenPhiLePhi", "Lệ phí"), ("MaPhiLePhi", "LP1"), ("HinhThucThu", "1"), ("Gia", "8000"),
            ("LoaiPhiLePhi", "1")))))),
        ("DinhDanhCHS", Obj(("DinhDanh", new JsonArray(Obj(("LoaiDinhDanh", "CCCD"), ("SoDinhDanh", "038085000123")))))));

    /// <summary>A dossier code no other call of this test process uses.</summary>
    public static string NewMaHoSo() =>
        $"{Agency}-261120-{(Interlocked.Increment(ref _dossier) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>A received dossier with the required elements only (the optional lists and records left out).</summary>
    public static JsonObject MinimalEvent(string client) => Obj(
        ("ClientEventId", $"{client}-{Guid.NewGuid():N}"), ("MaHoSo", NewMaHoSo()), ("MaTTHC", "1.001234.000.00.00.H56"),
        ("DonViXuLy", Agency), ("TrangThaiHoSo", 2), ("KenhThucHien", 1), ("LoaiDoiTuong", 1));

    /// <summary>A result ready to go back by post, with every element of the event.</summary>
    public static JsonObject FullEvent(string client) => Obj(
        ("ClientEventId", $"{client}-{Guid.NewGuid():N}"), ("MaHoSo", NewMaHoSo()), ("MaTTHC", "1.001234.000.00.00.H56"),
        ("TenTTHC", "Đăng ký khai sinh"), ("MaLinhVuc", "G13-HT01"), ("TenLinhVuc", "Hộ tịch"), ("TrangThaiHoSo", 9),
        ("NgayTiepNhan", "2026-11-20T08:30:00+07:00"), ("NgayHenTra", "2026-11-25T17:00:00+07:00"), ("NgayTra", "2026-11-24T10:00:00+07:00"),
        ("NgayKetThucXuLy", "2026-11-24T09:00:00+07:00"), ("DonViXuLy", Agency), ("KenhThucHien", 2), ("HinhThuc", 1),
        ("ChuHoSo", "Nguyễn Văn An"), ("LoaiDoiTuong", 1), ("MaDoiTuong", "CD-0001"), ("SoGiayToChuHoSo", "038085000123"),
        ("Email", "an@example.vn"), ("SoDienThoai", "0912345678"), ("TrichYeuHoSo", "Đăng ký khai sinh cho con"),
        ("TaiLieuNop", Obj(("TaiLieu", new JsonArray(Obj(("TepDinhKemId", "tep-1"), ("TenTepDinhKem", "to-khai.pdf"), ("IsDeleted", false),
            ("MaThanhPhanHoSo", "TP1"), ("DuongDanTaiTepTin", "files/tep-1")))))),
        ("DanhSachLePhi", Obj(("LePhi", new JsonArray(Obj(("TenPhiLePhi", "Lệ phí"), ("MaPhiLePhi", "LP1"), ("HinhThucThu", 1), ("Gia", 8000), ("LoaiPhiLePhi", 1)))))),
        ("DanhSachGiayToKetQua", Obj(("GiayToKetQua", new JsonArray(Obj(("TenGiayTo", "Giấy khai sinh"), ("MaThanhPhanHoSo", "KQ1"), ("GiayToId", "kq-1"),
            ("DuongDanTepTinKetQua", "files/kq-1")))))),
        ("DinhDanhCHS", Obj(("DinhDanhChuHoSo", new JsonArray(Obj(("LoaiDinhDanh", "CCCD"), ("SoDinhDanh", "038085000123")))))),
        ("BuocXuLy", Obj(("NguoiXuLy", "Trần Thị Bình"), ("ChucDanh", "Chuyên viên"), ("ThoiDiemXuLy", "2026-11-24T09:00:00+07:00"),
            ("PhongBanXuLy", "Phòng Tư pháp"), ("NoiDungXuLy", "Trả kết quả"), ("NgayBatDau", "2026-11-20T08:30:00+07:00"),
            ("NgayKetThucTheoQuyDinh", "2026-11-25T17:00:00+07:00"))),
        ("DiaChiNhanKetQua", Obj(("HoTenNguoiNhan", "Nguyễn Văn An"), ("DiaChi", "12 Lê Lợi, Phường Một Cửa"), ("SoDienThoai", "0912345678"),
            ("MaTinhThanh", "38"), ("MaPhuongXa", "16012"), ("Email", "an@example.vn"))),
        ("TaiKhoanXacThuc", "VNeID"), ("TuDVCQG", true), ("MucDo", 4));

    /// <summary>A reply (no fault) holding these values; a null value asks only that the path is present.</summary>
    public static Action<ClientResult> Reply(params (string Path, string? Value)[] expected) => r =>
    {
        r.Error.ShouldBeNull();
        r.Fault.ShouldBeNull();
        foreach (var (path, value) in expected)
        {
            var found = At(r.Reply, path);
            found.ShouldNotBeNull($"{path} is missing from the reply");
            if (value is not null)
            {
                found.ToString().ShouldBe(value, $"at {path}");
            }
        }
    };

    /// <summary>A SOAP 1.1 Client fault with this LookupFault code and field (null: any field).</summary>
    public static Action<ClientResult> ClientFault(string code, string? field) => r =>
    {
        r.Error.ShouldBeNull();
        var fault = r.Fault.ShouldNotBeNull("a fault was expected");
        fault.FaultCode.ShouldBe("Client");
        fault.Code.ShouldBe(code);
        if (field is not null)
        {
            fault.Field.ShouldBe(field);
            (fault.FaultString ?? "").ShouldStartWith(field + ": ");
        }
    };

    private static Action<ClientResult> Accepted() => r =>
    {
        Reply(("EventId", null))(r);
        At(r.Reply, "ClientEventId")!.ToString().ShouldNotBeNullOrEmpty();
    };

    /// <summary><c>CongDan.ThuongTru.MaTinhThanh</c>, <c>NganhNgheKinhDoanh.NganhNghe[0].MaNganh</c>; a list without an index is its first item.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = node is JsonObject o ? o[bracket < 0 ? part : part[..bracket]] : null;
            var index = bracket < 0 ? 0 : int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture);
            if (node is JsonArray a)
            {
                node = a.Count > index ? a[index] : null;
            }
        }

        return node;
    }

    private static JsonObject Request(params (string Name, object? Value)[] children) => Obj(("request", Obj(children)));

    private static JsonObject Event(JsonObject e) => Obj(("dossierEvent", e));

    private static JsonObject Push(JsonObject dossier) => Obj(("request", Obj(("Data", Obj(("HoSoMC", new JsonArray(dossier)))))));

    private static JsonObject Obj(params (string Name, object? Value)[] children)
    {
        var o = new JsonObject();
        foreach (var (name, value) in children)
        {
            o[name] = value switch
            {
                null => null,
                JsonNode n => n.Parent is null ? n : n.DeepClone(),
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                bool b => JsonValue.Create(b),
                _ => throw new ArgumentException($"unsupported value for {name}"),
            };
        }

        return o;
    }
}
