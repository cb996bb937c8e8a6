using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStop.Benchmarks;

/// <summary>
/// <c>portal.dossier.request.yaml</c> written by hand in C#, as a developer would without the engine: direct property
/// reads on the same JSON tree, the same tables, defaults, date conversion and lists, the same output tree.
/// </summary>
internal static class HandWrittenDossierMapping
{
    private static readonly TimeSpan VietNam = TimeSpan.FromHours(7);

    private static readonly Dictionary<string, string> TrangThai = new(StringComparer.Ordinal)
    {
        ["1"] = "1", ["2"] = "2", ["3"] = "3", ["4"] = "4", ["5"] = "5", ["6"] = "6", ["7"] = "7", ["8"] = "8", ["9"] = "9", ["10"] = "10",
    };

    private static readonly Dictionary<string, string> Kenh = new(StringComparer.Ordinal) { ["1"] = "1", ["2"] = "2", ["3"] = "3" };

    public static JsonObject Map(JsonNode source)
    {
        var s = source.AsObject();
        var o = new JsonObject
        {
            ["MaHoSo"] = Required(s, "ma_ho_so"),
            ["MaTTHC"] = Required(s, "ma_tthc"),
        };
        Copy(o, "TenTTHC", s, "ten_tthc");
        Copy(o, "MaLinhVuc", s, "ma_linh_vuc");
        Copy(o, "TenLinhVuc", s, "ten_linh_vuc");
        Copy(o, "ChuHoSo", s, "chu_ho_so");
        o["LoaiDoiTuong"] = Text(Get(s, "loai_doi_tuong")) ?? "1";
        Copy(o, "MaDoiTuong", s, "ma_doi_tuong");
        Copy(o, "Email", s, "email");
        Copy(o, "SoDienThoai", s, "so_dien_thoai");
        Copy(o, "TrichYeuHoSo", s, "trich_yeu_ho_so");
        Date(o, "NgayTiepNhan", s, "ngay_tiep_nhan");
        Date(o, "NgayHenTra", s, "ngay_hen_tra");
        var status = Text(Get(s, "trang_thai_ho_so")) ?? throw new InvalidOperationException("TrangThaiHoSo: required value missing at trang_thai_ho_so");
        o["TrangThaiHoSo"] = TrangThai.TryGetValue(status, out var mapped) ? mapped : throw new InvalidOperationException($"TrangThaiHoSo: code {status} has no entry");
        Date(o, "NgayTra", s, "ngay_tra");
        o["HinhThuc"] = Text(Get(s, "hinh_thuc")) ?? "0";
        Date(o, "NgayKetThucXuLy", s, "ngay_ket_thuc_xu_ly");
        o["DonViXuLy"] = Required(s, "don_vi_xu_ly");
        var channel = Text(Get(s, "kenh_thuc_hien"));
        o["KenhThucHien"] = channel is null ? "1" : Kenh.TryGetValue(channel, out var k) ? k : throw new InvalidOperationException($"KenhThucHien: code {channel} has no entry");
        Copy(o, "SoGiayToChuHoSo", s, "so_giay_to_chu_ho_so");

        List(o, "TaiLieuNop", s, "tai_lieu_nop", item =>
        {
            var t = new JsonObject();
            Copy(t, "TepDinhKemId", item, "tep_dinh_kem_id");
            Copy(t, "TenTepDinhKem", item, "ten_tep_dinh_kem");
            t["IsDeleted"] = Get(item, "is_deleted") is { } deleted ? deleted.GetValueKind() == JsonValueKind.True : false;
            Copy(t, "MaThanhPhanHoSo", item, "ma_thanh_phan_ho_so");
            Copy(t, "DuongDanTaiTepTin", item, "duong_dan_tai_tep_tin");
            return t;
        });
        List(o, "DanhSachLePhi", s, "danh_sach_le_phi", item =>
        {
            var f = new JsonObject();
            Copy(f, "TenPhiLePhi", item, "ten_phi_le_phi");
            Copy(f, "MaPhiLePhi", item, "ma_phi_le_phi");
            if (Text(Get(item, "hinh_thuc_thu")) is { } how)
            {
                f["HinhThucThu"] = how;
            }

            if (Get(item, "gia") is { } price)
            {
                f["Gia"] = price.GetValueKind() == JsonValueKind.Number
                    ? price.DeepClone()
                    : JsonValue.Create(double.Parse(price.GetValue<string>(), CultureInfo.InvariantCulture));
            }

            if (Text(Get(item, "loai_phi_le_phi")) is { } kind)
            {
                f["LoaiPhiLePhi"] = kind;
            }

            return f;
        });
        List(o, "DanhSachGiayToKetQua", s, "danh_sach_giay_to_ket_qua", item =>
        {
            var r = new JsonObject();
            Copy(r, "TenGiayTo", item, "ten_giay_to");
            Copy(r, "MaThanhPhanHoSo", item, "ma_thanh_phan_ho_so");
            Copy(r, "GiayToId", item, "giay_to_id");
            Copy(r, "DuongDanTepTinKetQua", item, "duong_dan_tep_tin_ket_qua");
            return r;
        });
        List(o, "DinhDanhCHS", s, "dinh_danh_chs", item =>
        {
            var d = new JsonObject();
            Copy(d, "LoaiDinhDanh", item, "loai_dinh_danh");
            Copy(d, "SoDinhDanh", item, "so_dinh_danh");
            return d;
        });
        return o;
    }

    /// <summary>The value at <paramref name="name"/>, or null when missing, null or empty text.</summary>
    private static JsonNode? Get(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var value) || value is null)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String when value.GetValue<string>().Length == 0 => null,
            _ => value,
        };
    }

    private static string? Text(JsonNode? value) => value?.GetValueKind() switch
    {
        null => null,
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private static JsonNode Required(JsonObject obj, string name) =>
        CopyOf(Get(obj, name) ?? throw new InvalidOperationException($"required value missing at {name}"));

    private static void Copy(JsonObject target, string to, JsonObject source, string from)
    {
        if (Get(source, from) is { } value)
        {
            target[to] = CopyOf(value);
        }
    }

    private static JsonNode CopyOf(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? JsonValue.Create(value.GetValue<string>()) : value.DeepClone();

    private static void Date(JsonObject target, string to, JsonObject source, string from)
    {
        if (Text(Get(source, from)) is { } text)
        {
            var instant = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
            target[to] = instant.ToOffset(VietNam).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        }
    }

    private static void List(JsonObject target, string to, JsonObject source, string from, Func<JsonObject, JsonObject> map)
    {
        if (Get(source, from) is not JsonArray items || items.Count == 0)
        {
            return;
        }

        var list = new JsonArray();
        foreach (var item in items)
        {
            if (item is JsonObject obj)
            {
                list.Add(map(obj));
            }
        }

        target[to] = list;
    }
}
