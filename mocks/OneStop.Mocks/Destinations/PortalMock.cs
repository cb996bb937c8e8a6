using System.Globalization;
using System.Text.Json.Nodes;
using OneStop.Mocks.Internal;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OneStop.Mocks;

/// <summary>A dossier as the fake national portal holds it.</summary>
/// <param name="Item">The last DongBoHoSoMC item received, compact JSON.</param>
/// <param name="Progress">Progress steps (CapNhatTienDoHoSoMC), one per (ThoiDiemXuLy, TrangThai), in arrival order.</param>
public sealed record PortalDossier(string MaHoSo, string TrangThaiHoSo, string Item, IReadOnlyList<PortalProgressStep> Progress);

/// <param name="Item">The CapNhatTienDoHoSoMC item, compact JSON (the last one received for this step).</param>
public sealed record PortalProgressStep(string ThoiDiemXuLy, string TrangThai, string Item);

/// <summary>
/// The national public-service portal (Cổng DVCQG) as a destination. Login <c>POST /dvcqg/auth</c> with header
/// <c>dstcode</c> and <c>{username, password}</c> gives <c>{error_code:0, session}</c>; every call is
/// <c>POST /dvcqg</c> with the same header and <c>{session, madonvi, service, …}</c>, answered
/// <c>{error_code:"0", message, result:[…]}</c>. Services: <c>TraCuuHoSo</c>, <c>DongBoHoSoMC</c> (create with
/// isUpdating False, refused with "đã tồn tại" when the dossier exists; update with True, refused when it does
/// not), <c>CapNhatTienDoHoSoMC</c>. Sessions live <see cref="MockServer.TokenLifetime"/> and die with
/// <c>expireTokens</c>; a dead session is answered <see cref="SessionInvalidErrorCode"/>.
/// </summary>
public sealed partial class PortalMock : DestinationMock
{
    /// <summary>The only <c>dstcode</c> the fake accepts (the province's code on the portal).</summary>
    public const string DemoDstCode = "000.00.00.H56";

    /// <summary>The adapter path every service call is posted to.</summary>
    public const string ServicePath = "/dvcqg";

    /// <summary>The session login path (<c>{adapter}/{auth}</c>).</summary>
    public const string LoginPath = "/dvcqg/auth";

    /// <summary><c>error_code</c> of a call whose session is missing, unknown or expired: log in again.</summary>
    public const string SessionInvalidErrorCode = "-2";

    /// <summary><c>error_code</c> of a call or login with a wrong <c>dstcode</c> or wrong credentials.</summary>
    public const string AccessDeniedErrorCode = "-1";

    /// <summary><c>error_code</c> of a business refusal (missing field, already exists, does not exist, refused dossier).</summary>
    public const string RefusedErrorCode = "1";

    private readonly Dictionary<string, DossierState> _dossiers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _createAfterLookup = new(StringComparer.Ordinal);
    private int _logins;
    private int _lookups;

    private PortalMock(TimeProvider? timeProvider)
        : base("portal", timeProvider)
    {
    }

    /// <summary>Starts the fake portal on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<PortalMock> StartAsync(int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new PortalMock(timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    /// <summary>Successful logins so far.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary><c>TraCuuHoSo</c> calls of the delivery services answered so far (not the inbound pull's).</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>The dossier as the portal holds it, or null.</summary>
    public PortalDossier? FindDossier(string maHoSo)
    {
        lock (Gate)
        {
            return _dossiers.TryGetValue(maHoSo, out var d) ? d.ToPublic(maHoSo) : null;
        }
    }

    /// <summary>Makes <paramref name="maHoSo"/> exist on the portal already (e.g. submitted online there), without a side effect.</summary>
    public void SeedDossier(string maHoSo, string trangThaiHoSo = "2")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(maHoSo);
        lock (Gate)
        {
            _dossiers[maHoSo] = new DossierState(new JsonObject { ["MaHoSo"] = maHoSo, ["TrangThaiHoSo"] = trangThaiHoSo });
        }
    }

    /// <summary>
    /// Simulates a concurrent create: the next <c>TraCuuHoSo</c> for <paramref name="maHoSo"/> answers "not found",
    /// and right after it another system creates the dossier (a side effect with no idempotency key), so a
    /// following create (isUpdating False) is refused with "đã tồn tại".
    /// </summary>
    public void CreateAfterNextLookup(string maHoSo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(maHoSo);
        lock (Gate)
        {
            _createAfterLookup.Add(maHoSo);
        }
    }

    private protected override string BusinessMethod => "POST";

    private protected override string BusinessPath => ServicePath;

    private protected override bool RequiresBearer => false;

    private protected override void ResetState()
    {
        _dossiers.Clear();
        _createAfterLookup.Clear();
        ResetInbound();
    }

    private protected override void MapMoreEndpoints(WireMockServer server)
    {
        base.MapMoreEndpoints(server);
        server.Given(Request.Create().WithPath(LoginPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(Login));
        MapInboundControl(server);
    }

    private IResponseMessage Login(IRequestMessage request)
    {
        var body = Json.ParseObject(Http.Body(request));
        if (!string.Equals(Http.Header(request, "dstcode"), DemoDstCode, StringComparison.Ordinal))
        {
            return Http.Json(200, """{"error_code":-1,"message":"dstcode không hợp lệ"}""");
        }

        if (body is null
            || !string.Equals(Json.Text(body["username"]), DemoClientId, StringComparison.Ordinal)
            || !string.Equals(Json.Text(body["password"]), DemoClientSecret, StringComparison.Ordinal))
        {
            return Http.Json(200, """{"error_code":-1,"message":"Sai tên đăng nhập hoặc mật khẩu"}""");
        }

        Interlocked.Increment(ref _logins);
        var reply = new JsonObject { ["error_code"] = 0, ["session"] = IssueCredential() };
        return Http.Json(200, reply.ToJsonString(Json.Relaxed));
    }

    private protected override MockReply Answer(IRequestMessage request)
    {
        if (!string.Equals(Http.Header(request, "dstcode"), DemoDstCode, StringComparison.Ordinal))
        {
            return Error(AccessDeniedErrorCode, "dstcode không hợp lệ");
        }

        var body = Json.ParseObject(Http.Body(request));
        if (body is null)
        {
            return Error(RefusedErrorCode, "Dữ liệu gửi lên không phải JSON hợp lệ");
        }

        if (!IsCredentialValid(Json.Text(body["session"])))
        {
            return Error(SessionInvalidErrorCode, "Phiên làm việc không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại");
        }

        var key = IdempotencyKey(request);
        if (AnswerInbound(body, key) is { } inbound)
        {
            return inbound;
        }

        if (Json.Text(body["madonvi"]) is null)
        {
            return Error(RefusedErrorCode, "Thiếu madonvi");
        }

        return Json.Text(body["service"]) switch
        {
            "TraCuuHoSo" => Lookup(body),
            "DongBoHoSoMC" => Sync(body, key),
            "CapNhatTienDoHoSoMC" => Progress(body, key),
            var other => Error(RefusedErrorCode, $"Dịch vụ '{other}' không được hỗ trợ"),
        };
    }

    private MockReply Lookup(JsonObject body)
    {
        var maHoSo = Json.Text(body["mahoso"]);
        if (maHoSo is null)
        {
            return Error(RefusedErrorCode, "Thiếu mahoso");
        }

        Interlocked.Increment(ref _lookups);
        lock (Gate)
        {
            if (_dossiers.TryGetValue(maHoSo, out var dossier))
            {
                return Ok([dossier.Item.DeepClone()]);
            }

            if (_createAfterLookup.Remove(maHoSo))
            {
                var item = new JsonObject { ["MaHoSo"] = maHoSo, ["TrangThaiHoSo"] = "1" };
                _dossiers[maHoSo] = new DossierState(item);
                Record(maHoSo, "DongBoHoSoMC isUpdating=False (another system)", "1", null, item);
            }

            return Ok([]);
        }
    }

    private MockReply Sync(JsonObject body, string? key)
    {
        bool isUpdating;
        switch (Json.Text(body["isUpdating"])?.ToUpperInvariant())
        {
            case "TRUE":
                isUpdating = true;
                break;
            case "FALSE":
                isUpdating = false;
                break;
            default:
                return Error(RefusedErrorCode, "isUpdating phải là \"True\" hoặc \"False\"");
        }

        if (Items(body) is not { } items)
        {
            return Error(RefusedErrorCode, "data phải là danh sách hồ sơ, không rỗng");
        }

        lock (Gate)
        {
            if (TryReplay(key, out var replayed))
            {
                return replayed;
            }

            foreach (var item in items)
            {
                if (Json.FirstMissing(item, "MaHoSo", "MaTTHC", "TrangThaiHoSo", "DonViXuLy") is { } missing)
                {
                    return Error(RefusedErrorCode, $"Thiếu trường bắt buộc {missing}");
                }

                var maHoSo = Json.Text(item["MaHoSo"])!;
                if (!IsStatus(Json.Text(item["TrangThaiHoSo"])))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo}: TrangThaiHoSo phải từ 1 đến 10");
                }

                if (IsRejected(maHoSo))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo} bị từ chối: dữ liệu không được chấp nhận");
                }

                var exists = _dossiers.ContainsKey(maHoSo);
                if (!isUpdating && exists)
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo} đã tồn tại trên Cổng DVCQG");
                }

                if (isUpdating && !exists)
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo} không tồn tại trên Cổng DVCQG");
                }
            }

            foreach (var item in items)
            {
                var maHoSo = Json.Text(item["MaHoSo"])!;
                var stored = (JsonObject)item.DeepClone();
                _dossiers[maHoSo] = _dossiers.TryGetValue(maHoSo, out var old) ? old with { Item = stored } : new DossierState(stored);
                Record(maHoSo, $"DongBoHoSoMC isUpdating={(isUpdating ? "True" : "False")}", Json.Text(item["TrangThaiHoSo"]), key, item);
            }

            return Remember(key, Ok([]));
        }
    }

    private MockReply Progress(JsonObject body, string? key)
    {
        if (Items(body) is not { } items)
        {
            return Error(RefusedErrorCode, "data phải là danh sách tiến độ, không rỗng");
        }

        lock (Gate)
        {
            if (TryReplay(key, out var replayed))
            {
                return replayed;
            }

            foreach (var item in items)
            {
                if (Json.FirstMissing(item, "MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "TrangThai") is { } missing)
                {
                    return Error(RefusedErrorCode, $"Thiếu trường bắt buộc {missing}");
                }

                var maHoSo = Json.Text(item["MaHoSo"])!;
                if (!IsStatus(Json.Text(item["TrangThai"])))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo}: TrangThai phải từ 1 đến 10");
                }

                if (!DateTime.TryParseExact(Json.Text(item["ThoiDiemXuLy"]), "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo}: ThoiDiemXuLy phải có dạng yyyyMMddHHmmss");
                }

                if (IsRejected(maHoSo))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo} bị từ chối: dữ liệu không được chấp nhận");
                }

                if (!_dossiers.ContainsKey(maHoSo))
                {
                    return Error(RefusedErrorCode, $"Hồ sơ {maHoSo} không tồn tại trên Cổng DVCQG");
                }
            }

            foreach (var item in items)
            {
                var maHoSo = Json.Text(item["MaHoSo"])!;
                var step = new ProgressState(Json.Text(item["ThoiDiemXuLy"])!, Json.Text(item["TrangThai"])!, (JsonObject)item.DeepClone());
                var progress = _dossiers[maHoSo].Progress;
                var same = progress.FindIndex(p => p.ThoiDiemXuLy == step.ThoiDiemXuLy && p.TrangThai == step.TrangThai);
                if (same >= 0)
                {
                    progress[same] = step; // the same step again: same state
                }
                else
                {
                    progress.Add(step);
                }

                Record(maHoSo, "CapNhatTienDoHoSoMC", step.TrangThai, key, item);
            }

            return Remember(key, Ok([]));
        }
    }

    private static List<JsonObject>? Items(JsonObject body)
    {
        if (body["data"] is not JsonArray data || data.Count == 0 || data.Any(i => i is not JsonObject))
        {
            return null;
        }

        return [.. data.Cast<JsonObject>()];
    }

    private static bool IsStatus(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 1 and <= 10;

    private static MockReply Ok(JsonArray result) => Reply("0", "Thành công", result);

    private static MockReply Error(string code, string message) => Reply(code, message, []);

    private static MockReply Reply(string code, string message, JsonArray result) =>
        new(200, new JsonObject { ["error_code"] = code, ["message"] = message, ["result"] = result }.ToJsonString(Json.Relaxed));

    private sealed record DossierState(JsonObject Item)
    {
        public List<ProgressState> Progress { get; init; } = [];

        public PortalDossier ToPublic(string maHoSo) => new(
            maHoSo,
            Json.Text(Item["TrangThaiHoSo"]) ?? "",
            Item.ToJsonString(Json.Relaxed),
            [.. Progress.Select(p => new PortalProgressStep(p.ThoiDiemXuLy, p.TrangThai, p.Item.ToJsonString(Json.Relaxed)))]);
    }

    private sealed record ProgressState(string ThoiDiemXuLy, string TrangThai, JsonObject Item);
}
