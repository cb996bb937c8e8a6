using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OneStop.Mocks.Internal;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OneStop.Mocks;

/// <summary>A dossier a citizen submitted online on the fake portal, as the pull services serve it.</summary>
/// <param name="Item">The full detail (DongBoHoSoMC item shape), compact JSON, as <c>TraCuuHoSo</c> answers it.</param>
/// <param name="StatusPushes">Status the province reported back with <c>DongBoTrangThaiHoSo</c>, in arrival order.</param>
public sealed record PortalOnlineDossier(string MaHoSo, string DonViXuLy, DateTimeOffset NgayNhan, string Item, IReadOnlyList<string> StatusPushes);

/// <summary>One procedure of the fake portal's catalogue (<c>LayDanhSachTTHC</c>).</summary>
public sealed record PortalProcedure(string MaTTHC, string TenTTHC, string MaLinhVuc, string TenLinhVuc);

/// <summary>One agency of the fake portal's catalogue (<c>LayDanhMucCoQuan</c>).</summary>
public sealed record PortalAgency(string MaCoQuan, string TenCoQuan);

/// <summary>
/// The portal's inbound half: dossiers citizens submit online, served by the pull services <c>DanhSachHoSo
/// {donViXuLy, ngayNhan1, ngayNhan2}</c> (dates <c>yyyy-MM-dd</c>, Asia/Ho_Chi_Minh; answers <c>{data:[{maHoSo,
/// ngayNhanHoSo}]}</c>), <c>TraCuuHoSo {mahoso}</c> (<c>{data:[detail]}</c>) and <c>LayTaiLieuHoSo
/// {duongdanteptin}</c> (<c>{TepTinDinhKem:[{…, Base64}]}</c>); the catalogue <c>LayDanhSachTTHC</c> and
/// <c>LayDanhMucCoQuan</c>; and status reported back with <c>DongBoTrangThaiHoSo {data:[{MaHoSo, TrangThai,
/// NgayXuLy, TaiLieuXuLy[]}]}</c>, recorded as side effects. Control API: <c>POST /__online</c>
/// <c>{donViXuLy, count}</c> submits synthetic dossiers, <c>GET /__online[?donViXuLy=]</c> lists them.
/// </summary>
public sealed partial class PortalMock
{
    /// <summary>Agencies of the demo province on the portal (10, as the inbound fault proof needs).</summary>
    public static readonly IReadOnlyList<PortalAgency> DemoAgencies =
    [
        new("000.00.01.H56", "Sở Tư pháp"),
        new("000.00.02.H56", "Sở Tài nguyên và Môi trường"),
        new("000.00.03.H56", "Sở Kế hoạch và Đầu tư"),
        new("000.00.04.H56", "Sở Xây dựng"),
        new("000.00.05.H56", "Sở Giao thông vận tải"),
        new("000.00.06.H56", "Sở Y tế"),
        new("000.00.07.H56", "Sở Giáo dục và Đào tạo"),
        new("000.00.08.H56", "Sở Lao động - Thương binh và Xã hội"),
        new("000.00.09.H56", "Sở Công Thương"),
        new("000.00.10.H56", "Sở Nông nghiệp và Môi trường"),
    ];

    /// <summary>Procedures of the demo catalogue.</summary>
    public static readonly IReadOnlyList<PortalProcedure> DemoProcedures =
    [
        new("1.001234.000.00.00.H56", "Đăng ký khai sinh", "G09-TP03", "Hộ tịch"),
        new("1.000656.000.00.00.H56", "Đăng ký kết hôn", "G09-TP03", "Hộ tịch"),
        new("1.004227.000.00.00.H56", "Cấp bản sao trích lục hộ tịch", "G09-TP03", "Hộ tịch"),
        new("1.003010.000.00.00.H56", "Đăng ký biến động đất đai", "G09-TN01", "Đất đai"),
        new("2.001263.000.00.00.H56", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "G09-XD02", "Hoạt động xây dựng"),
    ];

    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);
    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    private static readonly string[] GivenNames = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Huy", "Thị Lan", "Văn Nam"];

    private readonly Dictionary<string, OnlineState> _online = new(StringComparer.Ordinal);
    private readonly List<PortalProcedure> _procedures = [.. DemoProcedures];
    private readonly Dictionary<string, int> _dailyCounters = new(StringComparer.Ordinal);
    private int _pullCalls;

    /// <summary>Pull-service calls answered (<c>DanhSachHoSo</c>, <c>TraCuuHoSo</c> of an online dossier, <c>LayTaiLieuHoSo</c>).</summary>
    public int PullCalls => Volatile.Read(ref _pullCalls);

    /// <summary>Every online dossier, in submission order.</summary>
    public IReadOnlyList<PortalOnlineDossier> OnlineDossiers
    {
        get
        {
            lock (Gate)
            {
                return [.. _online.Values.OrderBy(d => d.Sequence).Select(d => d.ToPublic())];
            }
        }
    }

    /// <summary>The online dossier, or null.</summary>
    public PortalOnlineDossier? FindOnline(string maHoSo)
    {
        lock (Gate)
        {
            return _online.TryGetValue(maHoSo, out var d) ? d.ToPublic() : null;
        }
    }

    /// <summary>
    /// A citizen submits a dossier online for <paramref name="donViXuLy"/> (received now unless <paramref name="ngayNhan"/>
    /// says otherwise): synthetic owner, a procedure of the catalogue, one fee and two attached files.
    /// </summary>
    public PortalOnlineDossier SubmitOnline(string donViXuLy, DateTimeOffset? ngayNhan = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(donViXuLy);
        var at = (ngayNhan ?? TimeProvider.GetUtcNow()).ToOffset(VietnamOffset);
        lock (Gate)
        {
            var day = at.ToString("yyMMdd", CultureInfo.InvariantCulture);
            var counterKey = $"{donViXuLy}|{day}";
            var n = _dailyCounters[counterKey] = _dailyCounters.GetValueOrDefault(counterKey) + 1;
            var maHoSo = string.Create(CultureInfo.InvariantCulture, $"{donViXuLy}-{day}-{n:D4}");
            var sequence = _online.Count + 1;
            var item = SyntheticItem(maHoSo, donViXuLy, at, sequence);
            var state = new OnlineState(sequence, maHoSo, donViXuLy, at, item);
            _online[maHoSo] = state;
            return state.ToPublic();
        }
    }

    /// <summary>The portal publishes a new procedure: <c>LayDanhSachTTHC</c> lists it from now on.</summary>
    public void AddProcedure(PortalProcedure procedure)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        lock (Gate)
        {
            _procedures.Add(procedure);
        }
    }

    /// <summary>The bytes of an attached file as <c>LayTaiLieuHoSo</c> serves them (what a claim-check must reproduce).</summary>
    public static byte[] FileContent(string duongDan) =>
        Encoding.UTF8.GetBytes($"%PDF-1.4\n% OneStop synthetic attachment\n{duongDan}\n%%EOF\n");

    private void ResetInbound()
    {
        _online.Clear();
        _dailyCounters.Clear();
        _procedures.Clear();
        _procedures.AddRange(DemoProcedures);
        Interlocked.Exchange(ref _pullCalls, 0);
    }

    /// <summary>The inbound and catalogue services, or null when <paramref name="body"/> asks for a destination service.</summary>
    private MockReply? AnswerInbound(JsonObject body, string? key)
    {
        switch (Json.Text(body["service"]))
        {
            case "DanhSachHoSo":
                return List(body);
            case "TraCuuHoSo" when Json.Text(body["mahoso"]) is { } maHoSo && IsOnline(maHoSo):
                return Detail(maHoSo);
            case "LayTaiLieuHoSo":
                return Files(body);
            case "LayDanhSachTTHC":
                lock (Gate)
                {
                    return Ok([.. _procedures.Select(p => (JsonNode)new JsonObject
                    {
                        ["MaTTHC"] = p.MaTTHC, ["TenTTHC"] = p.TenTTHC, ["MaLinhVuc"] = p.MaLinhVuc, ["TenLinhVuc"] = p.TenLinhVuc,
                    })]);
                }

            case "LayDanhMucCoQuan":
                return Ok([.. DemoAgencies.Select(a => (JsonNode)new JsonObject { ["MaCoQuan"] = a.MaCoQuan, ["TenCoQuan"] = a.TenCoQuan })]);
            case "DongBoTrangThaiHoSo":
                return StatusBack(body, key);
            default:
                return null;
        }
    }

    private bool IsOnline(string maHoSo)
    {
        lock (Gate)
        {
            return _online.ContainsKey(maHoSo) && !_dossiers.ContainsKey(maHoSo);
        }
    }

    private MockReply List(JsonObject body)
    {
        Interlocked.Increment(ref _pullCalls);
        if (Json.FirstMissing(body, "donViXuLy", "ngayNhan1", "ngayNhan2") is { } missing)
        {
            return Error(RefusedErrorCode, $"Thiếu {missing}");
        }

        if (!TryDay(Json.Text(body["ngayNhan1"]), out var from) || !TryDay(Json.Text(body["ngayNhan2"]), out var to))
        {
            return Error(RefusedErrorCode, "ngayNhan1, ngayNhan2 phải có dạng yyyy-MM-dd");
        }

        var agency = Json.Text(body["donViXuLy"]);
        lock (Gate)
        {
            var data = new JsonArray();
            foreach (var d in _online.Values.Where(d => d.DonViXuLy == agency).OrderBy(d => d.Sequence))
            {
                var day = DateOnly.FromDateTime(d.NgayNhan.DateTime);
                if (day >= from && day <= to)
                {
                    data.Add(new JsonObject
                    {
                        ["maHoSo"] = d.MaHoSo,
                        ["ngayNhanHoSo"] = d.NgayNhan.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                        ["donViXuLy"] = d.DonViXuLy,
                    });
                }
            }

            return WithData("data", data);
        }
    }

    private MockReply Detail(string maHoSo)
    {
        Interlocked.Increment(ref _pullCalls);
        lock (Gate)
        {
            var item = _online[maHoSo].Item;
            return WithData("data", [item.DeepClone()], alsoResult: true);
        }
    }

    private MockReply Files(JsonObject body)
    {
        Interlocked.Increment(ref _pullCalls);
        var path = Json.Text(body["duongdanteptin"]);
        if (path is null)
        {
            return Error(RefusedErrorCode, "Thiếu duongdanteptin");
        }

        lock (Gate)
        {
            foreach (var d in _online.Values)
            {
                if (d.Item["TaiLieuNop"] is JsonArray docs
                    && docs.OfType<JsonObject>().FirstOrDefault(t => Json.Text(t["DuongDanTaiTepTin"]) == path) is { } doc)
                {
                    var file = new JsonObject
                    {
                        ["TepDinhKemId"] = doc["TepDinhKemId"]?.DeepClone(),
                        ["TenTepDinhKem"] = doc["TenTepDinhKem"]?.DeepClone(),
                        ["DuongDanTaiTepTin"] = path,
                        ["Base64"] = Convert.ToBase64String(FileContent(path)),
                    };
                    return WithData("TepTinDinhKem", [file]);
                }
            }
        }

        return Error(RefusedErrorCode, "Không tìm thấy tệp tin");
    }

    private MockReply StatusBack(JsonObject body, string? key)
    {
        if (body["data"] is not JsonArray data || data.Count == 0 || data.Any(i => i is not JsonObject))
        {
            return Error(RefusedErrorCode, "data phải là danh sách trạng thái, không rỗng");
        }

        lock (Gate)
        {
            if (TryReplay(key, out var replayed))
            {
                return replayed;
            }

            foreach (var item in data.Cast<JsonObject>())
            {
                if (Json.FirstMissing(item, "MaHoSo", "TrangThai", "NgayXuLy") is { } missing)
                {
                    return Error(RefusedErrorCode, $"Thiếu trường bắt buộc {missing}");
                }

                var maHoSo = Json.Text(item["MaHoSo"])!;
                if (!IsStatus(Json.Text(item["TrangThai"])))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo}: TrangThai phải từ 1 đến 10");
                }

                if (!DateTime.TryParseExact(Json.Text(item["NgayXuLy"]), "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo}: NgayXuLy phải có dạng yyyyMMddHHmmss");
                }

                if (!_online.ContainsKey(maHoSo))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo} không tồn tại trên Cổng DVCQG");
                }
            }

            foreach (var item in data.Cast<JsonObject>())
            {
                var maHoSo = Json.Text(item["MaHoSo"])!;
                _online[maHoSo].StatusPushes.Add(item.ToJsonString(Json.Relaxed));
                Record(maHoSo, "DongBoTrangThaiHoSo", Json.Text(item["TrangThai"]), key, item);
            }

            return Remember(key, Ok([]));
        }
    }

    private void MapInboundControl(WireMockServer server)
    {
        server.Given(Request.Create().WithPath("/__online").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var body = Json.ParseObject(Http.Body(request));
                var agency = body is null ? null : Json.Text(body["donViXuLy"]);
                var countText = body is null ? null : Json.Text(body["count"]) ?? "1";
                if (agency is null || !int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 1000)
                {
                    return Http.Json(400, """{"error":"expected {\"donViXuLy\":\"000.00.01.H56\",\"count\":1..1000}"}""");
                }

                var created = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    created.Add(SubmitOnline(agency).MaHoSo);
                }

                return Http.Json(200, new JsonObject { ["created"] = created }.ToJsonString(Json.Relaxed));
            }));
        server.Given(Request.Create().WithPath("/__online").UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var agency = Http.Query(request, "donViXuLy");
                var list = new JsonArray();
                foreach (var d in OnlineDossiers.Where(d => agency is null || d.DonViXuLy == agency))
                {
                    list.Add(new JsonObject
                    {
                        ["MaHoSo"] = d.MaHoSo,
                        ["DonViXuLy"] = d.DonViXuLy,
                        ["NgayNhan"] = d.NgayNhan.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                        ["StatusPushes"] = d.StatusPushes.Count,
                    });
                }

                return Http.Json(200, new JsonObject { ["count"] = list.Count, ["dossiers"] = list }.ToJsonString(Json.Relaxed));
            }));
    }

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static MockReply WithData(string name, JsonArray data, bool alsoResult = false)
    {
        var reply = new JsonObject { ["error_code"] = "0", ["message"] = "Thành công", [name] = data };
        if (alsoResult)
        {
            reply["result"] = data.DeepClone();
        }

        return new MockReply(200, reply.ToJsonString(Json.Relaxed));
    }

    private static JsonObject SyntheticItem(string maHoSo, string donViXuLy, DateTimeOffset at, int sequence)
    {
        var random = new Random(sequence * 7919);
        var procedure = DemoProcedures[random.Next(DemoProcedures.Count)];
        var birthYear = 1960 + random.Next(45);
        var centuryGender = (birthYear >= 2000 ? 2 : 0) + random.Next(2);
        var cccd = string.Create(CultureInfo.InvariantCulture, $"038{centuryGender}{birthYear % 100:D2}{random.Next(1_000_000):D6}");
        var name = $"{FamilyNames[random.Next(FamilyNames.Length)]} {GivenNames[random.Next(GivenNames.Length)]}";
        var received = at.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var due = at.AddDays(5).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var docs = new JsonArray();
        for (var i = 1; i <= 2; i++)
        {
            docs.Add(new JsonObject
            {
                ["TepDinhKemId"] = string.Create(CultureInfo.InvariantCulture, $"{sequence}{i:D2}"),
                ["TenTepDinhKem"] = i == 1 ? "To khai.pdf" : "Giay to tuy than.pdf",
                ["IsDeleted"] = "False",
                ["MaThanhPhanHoSo"] = $"TP{i}",
                ["DuongDanTaiTepTin"] = $"/files/{maHoSo}/{i}",
            });
        }

        return new JsonObject
        {
            ["MaHoSo"] = maHoSo,
            ["MaTTHC"] = procedure.MaTTHC,
            ["TenTTHC"] = procedure.TenTTHC,
            ["MaLinhVuc"] = procedure.MaLinhVuc,
            ["TenLinhVuc"] = procedure.TenLinhVuc,
            ["ChuHoSo"] = name,
            ["LoaiDoiTuong"] = "1",
            ["MaDoiTuong"] = "",
            ["Email"] = "",
            ["SoDienThoai"] = string.Create(CultureInfo.InvariantCulture, $"09{random.Next(100_000_000):D8}"),
            ["TrichYeuHoSo"] = procedure.TenTTHC,
            ["NgayTiepNhan"] = received,
            ["NgayHenTra"] = due,
            ["TrangThaiHoSo"] = "1",
            ["HinhThuc"] = random.Next(2).ToString(CultureInfo.InvariantCulture),
            ["DonViXuLy"] = donViXuLy,
            ["KenhThucHien"] = "2",
            ["SoGiayToChuHoSo"] = cccd,
            ["TaiLieuNop"] = docs,
            ["DanhSachLePhi"] = new JsonArray(new JsonObject
            {
                ["TenPhiLePhi"] = "Lệ phí", ["MaPhiLePhi"] = "LP01", ["HinhThucThu"] = "1", ["Gia"] = "0", ["LoaiPhiLePhi"] = "1",
            }),
            ["DinhDanhCHS"] = new JsonArray(new JsonObject { ["LoaiDinhDanh"] = "1", ["SoDinhDanh"] = cccd }),
        };
    }

    private sealed record OnlineState(int Sequence, string MaHoSo, string DonViXuLy, DateTimeOffset NgayNhan, JsonObject Item)
    {
        public List<string> StatusPushes { get; } = [];

        public PortalOnlineDossier ToPublic() =>
            new(MaHoSo, DonViXuLy, NgayNhan, Item.ToJsonString(Json.Relaxed), [.. StatusPushes]);
    }
}
