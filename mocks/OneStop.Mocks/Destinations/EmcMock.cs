using System.Text.Json.Nodes;
using OneStop.Mocks.Internal;
using WireMock;

namespace OneStop.Mocks;

/// <summary>
/// EMC, the national monitoring system, as a destination: <c>POST /TrackingMCDT</c> (Bearer, OAuth2 like the
/// lookups) with <c>{CodeProfile, SiteId, CodeTTHC, NameTTHC, MaHoSo, Status, FormsReception, FormsPayments,
/// Level, IsFromDVCQG, IsDVCBC, Data, User}</c>, where <c>User</c> is text holding the JSON object
/// <c>{ID_local, ID_QG, TYPE, LOCATION}</c>. Answers <c>{"success":true,"message":…}</c>; a wrong SiteId is
/// HTTP 403, a body outside the contract HTTP 400 (both with <c>success:false</c>); a refused dossier is
/// HTTP 200 with <c>success:false</c>.
/// </summary>
public sealed class EmcMock : DestinationMock
{
    /// <summary>The only SiteId the fake accepts (EMC identifies the province's system by it).</summary>
    public const string DemoSiteId = "onestop-demo-site";

    public const string TrackingPath = "/TrackingMCDT";

    private static readonly string[] Required =
        ["CodeProfile", "SiteId", "CodeTTHC", "MaHoSo", "Status", "FormsReception", "FormsPayments", "Level", "IsFromDVCQG", "IsDVCBC"];

    private static readonly (string Field, string[] Allowed)[] Codes =
    [
        ("Status", ["0", "1", "2", "3", "4"]),
        ("FormsReception", ["1", "2"]),
        ("FormsPayments", ["0", "1", "2"]),
        ("Level", ["0", "1", "3", "4"]),
        ("IsFromDVCQG", ["0", "1"]),
        ("IsDVCBC", ["0", "1", "2"]),
    ];

    private EmcMock(TimeProvider? timeProvider)
        : base("emc", timeProvider)
    {
    }

    /// <summary>Starts the fake EMC on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<EmcMock> StartAsync(int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new EmcMock(timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    private protected override string BusinessMethod => "POST";

    private protected override string BusinessPath => TrackingPath;

    private protected override void ResetState()
    {
    }

    private protected override MockReply Answer(IRequestMessage request)
    {
        var body = Json.ParseObject(Http.Body(request));
        if (body is null)
        {
            return Reply(400, false, "Dữ liệu gửi lên không phải JSON hợp lệ");
        }

        if (!string.Equals(Json.Text(body["SiteId"]), DemoSiteId, StringComparison.Ordinal))
        {
            return Reply(403, false, "SiteId không hợp lệ");
        }

        var key = IdempotencyKey(request);
        lock (Gate)
        {
            if (TryReplay(key, out var replayed))
            {
                return replayed;
            }

            if (Invalid(body) is { } problem)
            {
                return Reply(400, false, problem);
            }

            var maHoSo = Json.Text(body["MaHoSo"])!;
            if (IsRejected(maHoSo))
            {
                return Reply(200, false, $"Hồ sơ {maHoSo} bị từ chối: dữ liệu không được chấp nhận");
            }

            Record(maHoSo, "TrackingMCDT", Json.Text(body["Status"]), key, body);
            return Remember(key, Reply(200, true, "Thành công"));
        }
    }

    private static string? Invalid(JsonObject body)
    {
        if (Json.FirstMissing(body, Required) is { } missing)
        {
            return $"Thiếu trường bắt buộc {missing}";
        }

        foreach (var (field, allowed) in Codes)
        {
            if (!allowed.Contains(Json.Text(body[field])))
            {
                return $"{field} phải là một trong {string.Join(", ", allowed)}";
            }
        }

        foreach (var text in (string[])["Data", "User"])
        {
            if (body[text] is { } node && (node is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String))
            {
                return $"{text} phải là chuỗi (JSON dạng text)";
            }
        }

        if (Json.Text(body["User"]) is { } userText
            && (Json.ParseObject(userText) is not { } user || Json.FirstMissing(user, "ID_local", "ID_QG", "TYPE", "LOCATION") is not null))
        {
            return "User phải là chuỗi JSON {ID_local, ID_QG, TYPE, LOCATION}";
        }

        return null;
    }

    private static MockReply Reply(int status, bool success, string message) =>
        new(status, new JsonObject { ["success"] = success, ["message"] = message }.ToJsonString(Json.Relaxed));
}
