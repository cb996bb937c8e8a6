using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Inbound;

/// <summary>
/// Reads one dossier in the portal's DongBoHoSoMC item shape (values as text or numbers, dates
/// <c>yyyyMMddHHmmss</c> in Asia/Ho_Chi_Minh) into the canonical <see cref="InboundDossier"/>, or names every field
/// that breaks its rule (<c>TaiLieuNop[1].TenTepDinhKem: required</c>). Never quotes a submitted value.
/// </summary>
public static partial class InboundValidation
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>The dossier, or null with <paramref name="errors"/> naming each field and rule.</summary>
    public static InboundDossier? Read(JsonNode? node, DateTimeOffset now, out string? errors, out IReadOnlyList<byte[]?> inlineFiles)
    {
        var problems = new List<string>();
        inlineFiles = [];
        if (node is not JsonObject item)
        {
            errors = "item: must be a JSON object";
            return null;
        }

        var maHoSo = Required(item, "MaHoSo", problems);
        if (maHoSo is not null && !MaHoSoShape().IsMatch(maHoSo))
        {
            problems.Add("MaHoSo: must be {agency}-{yyMMdd}-{NNNN}");
        }

        var maTthc = Required(item, "MaTTHC", problems);
        var donViXuLy = Required(item, "DonViXuLy", problems);
        var chuHoSo = Required(item, "ChuHoSo", problems);
        var ngayTiepNhan = Time(item, "NgayTiepNhan", problems, required: true);
        var ngayHenTra = Time(item, "NgayHenTra", problems, required: false);
        var loaiDoiTuong = Number(item, "LoaiDoiTuong", 1, 4, 1, problems);
        var trangThai = Number(item, "TrangThaiHoSo", 1, 10, 1, problems);
        var hinhThuc = Number(item, "HinhThuc", 0, 1, 0, problems);
        var kenh = Number(item, "KenhThucHien", 1, 3, 2, problems);
        var soGiayTo = Text(item["SoGiayToChuHoSo"]);
        if (loaiDoiTuong == 1)
        {
            if (soGiayTo is null)
            {
                problems.Add("SoGiayToChuHoSo: required for a citizen (LoaiDoiTuong 1)");
            }
            else if ((soGiayTo.Length == 12 ? Identifiers.CheckCccd(soGiayTo, now) : Identifiers.CheckCmnd(soGiayTo)) is { } rule)
            {
                problems.Add($"SoGiayToChuHoSo: {rule}");
            }
        }

        var documents = new List<InboundDocument>();
        var files = new List<byte[]?>();
        foreach (var (doc, path) in Objects(item, "TaiLieuNop", problems))
        {
            var name = Required(doc, "TenTepDinhKem", problems, path);
            var link = Text(doc["DuongDanTaiTepTin"]);
            byte[]? inline = null;
            if (Text(doc["Base64"]) is { } base64)
            {
                try
                {
                    inline = Convert.FromBase64String(base64);
                }
                catch (FormatException)
                {
                    problems.Add($"{path}.Base64: must be base64");
                }
            }

            if (link is null && inline is null)
            {
                problems.Add($"{path}.DuongDanTaiTepTin: required when the file is not inline (Base64)");
            }

            documents.Add(new InboundDocument
            {
                TepDinhKemId = Text(doc["TepDinhKemId"]),
                TenTepDinhKem = name,
                MaThanhPhanHoSo = Text(doc["MaThanhPhanHoSo"]),
                DuongDanTaiTepTin = link,
            });
            files.Add(inline);
        }

        var fees = new List<LePhi>();
        foreach (var (fee, path) in Objects(item, "DanhSachLePhi", problems))
        {
            var gia = 0L;
            if (Text(fee["Gia"]) is { } price && (!long.TryParse(price, NumberStyles.None, CultureInfo.InvariantCulture, out gia)))
            {
                problems.Add($"{path}.Gia: must be a whole number of đồng, not negative");
            }

            fees.Add(new LePhi
            {
                TenPhiLePhi = Required(fee, "TenPhiLePhi", problems, path),
                MaPhiLePhi = Text(fee["MaPhiLePhi"]),
                HinhThucThu = Number(fee, "HinhThucThu", 0, 9, 0, problems, path),
                Gia = gia,
                LoaiPhiLePhi = Number(fee, "LoaiPhiLePhi", 0, 9, 0, problems, path),
            });
        }

        var ids = new List<DinhDanhChuHoSo>();
        foreach (var (id, _) in Objects(item, "DinhDanhCHS", problems))
        {
            ids.Add(new DinhDanhChuHoSo { LoaiDinhDanh = Text(id["LoaiDinhDanh"]), SoDinhDanh = Text(id["SoDinhDanh"]) });
        }

        if (problems.Count > 0)
        {
            errors = string.Join("; ", problems);
            return null;
        }

        errors = null;
        inlineFiles = files;
        return new InboundDossier
        {
            MaHoSo = maHoSo!,
            MaTthc = maTthc!,
            TenTthc = Text(item["TenTTHC"]),
            MaLinhVuc = Text(item["MaLinhVuc"]),
            TenLinhVuc = Text(item["TenLinhVuc"]),
            DonViXuLy = donViXuLy!,
            ChuHoSo = chuHoSo!,
            LoaiDoiTuong = loaiDoiTuong,
            MaDoiTuong = Text(item["MaDoiTuong"]),
            SoGiayToChuHoSo = soGiayTo,
            Email = Text(item["Email"]),
            SoDienThoai = Text(item["SoDienThoai"]),
            TrichYeuHoSo = Text(item["TrichYeuHoSo"]),
            NgayTiepNhan = ngayTiepNhan!.Value,
            NgayHenTra = ngayHenTra,
            TrangThaiHoSo = trangThai,
            HinhThuc = hinhThuc,
            KenhThucHien = kenh,
            TaiLieuNop = documents,
            DanhSachLePhi = fees,
            DinhDanhChs = ids,
        };
    }

    /// <summary>The MaHoSo of an item for the answer, when it has a readable one.</summary>
    public static string? MaHoSoOf(JsonNode? node) => node is JsonObject item ? Text(item["MaHoSo"]) : null;

    /// <summary>A portal date <c>yyyyMMddHHmmss</c> (Asia/Ho_Chi_Minh).</summary>
    public static bool TryParsePortalTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        time = new DateTimeOffset(local, Vietnam);
        return true;
    }

    /// <summary>Text of a string, number or boolean; null for anything else or blank text.</summary>
    public static string? Text(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>().Trim(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string? Required(JsonObject item, string field, List<string> problems, string? path = null)
    {
        var text = Text(item[field]);
        if (text is null)
        {
            problems.Add($"{Field(path, field)}: required");
        }

        return text;
    }

    private static DateTimeOffset? Time(JsonObject item, string field, List<string> problems, bool required)
    {
        var text = Text(item[field]);
        if (text is null)
        {
            if (required)
            {
                problems.Add($"{field}: required");
            }

            return null;
        }

        if (TryParsePortalTime(text, out var time))
        {
            return time;
        }

        problems.Add($"{field}: must be yyyyMMddHHmmss (Asia/Ho_Chi_Minh)");
        return null;
    }

    private static int Number(JsonObject item, string field, int min, int max, int fallback, List<string> problems, string? path = null)
    {
        var text = Text(item[field]);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add(FormattableString.Invariant($"{Field(path, field)}: must be a number from {min} to {max}"));
        return fallback;
    }

    private static IEnumerable<(JsonObject Item, string Path)> Objects(JsonObject item, string field, List<string> problems)
    {
        switch (item[field])
        {
            case null:
                yield break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject o)
                    {
                        yield return (o, FormattableString.Invariant($"{field}[{i}]"));
                    }
                    else
                    {
                        problems.Add(FormattableString.Invariant($"{field}[{i}]: must be an object"));
                    }
                }

                yield break;
            default:
                problems.Add($"{field}: must be a list");
                yield break;
        }
    }

    private static string Field(string? path, string field) => path is null ? field : $"{path}.{field}";

    [GeneratedRegex(@"^\S+-\d{6}-\d{4,}$", RegexOptions.CultureInvariant)]
    private static partial Regex MaHoSoShape();
}
