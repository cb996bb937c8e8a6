using System.Globalization;
using System.Text.Json.Nodes;
using OneStop.Mocks.Internal;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OneStop.Mocks;

/// <summary>An order as the fake postal operator holds it.</summary>
/// <param name="ItemCode">The parcel code the operator assigned.</param>
/// <param name="Body">The create-order body as received, compact JSON.</param>
public sealed record PostalOrder(string OrderNumber, string ItemCode, bool Cancelled, string Body);

/// <summary>One entry of the tracking feed; <see cref="Id"/> is the cursor clients pass back as <c>lastId</c>.</summary>
public sealed record PostalTrackingEvent(
    long Id,
    string CustomerCode,
    string OrderNumber,
    string EventTime,
    string POSID,
    string ItemCode,
    string StatusCode,
    string StatusMessage,
    string Notes);

/// <summary>
/// The public postal operator (VNPost) as a destination, OAuth2 like the lookups. <c>POST /api/order/post</c>
/// creates an order (<c>{Status:"100", Message}</c>; an OrderNumber already used is <see cref="StatusDuplicate"/>
/// and creates nothing), <c>POST /api/order/cancel</c> with <c>{CustomerCode, OrderNumber}</c> cancels one
/// (<see cref="StatusNotFound"/> when there is none; cancelling twice changes nothing), and
/// <c>GET /api/order/tracking?pagesize=&amp;lastId=</c> pages through tracking events after <c>lastId</c>. <c>POST /__tracking/advance</c> (or <see cref="AdvanceTracking"/>) moves
/// every open order one step: picked up, in transit, delivered.
/// Side effects are recorded under the OrderNumber.
/// </summary>
public sealed class PostalMock : DestinationMock
{
    /// <summary>The only CustomerCode the fake accepts (the contract VNPost gave the province).</summary>
    public const string DemoCustomerCode = "ONESTOP-H56";

    public const string CreatePath = "/api/order/post";
    public const string CancelPath = "/api/order/cancel";
    public const string TrackingPath = "/api/order/tracking";

    public const string StatusSuccess = "100";
    public const string StatusInvalid = "101";
    public const string StatusDuplicate = "102";
    public const string StatusRefused = "103";
    public const string StatusNotFound = "104";

    /// <summary>Tracking StatusCode of a created order.</summary>
    public const string TrackingCreated = "1";

    /// <summary>Tracking StatusCode of a cancelled order.</summary>
    public const string TrackingCancelled = "6";

    /// <summary>The post office the fake's own tracking events come from.</summary>
    public const string DemoPosId = "380100";

    private static readonly string[] RequiredOrderFields =
    [
        "CustomerCode", "OrderNumber", "SenderProvince", "SenderAddress", "SenderName", "SenderTel",
        "ReceiverName", "ReceiverAddress", "ReceiverTel", "ReceiverProvince",
    ];

    private static readonly HashSet<string> ProvinceCodes = [.. AdministrativeUnits.Provinces.Select(p => p.Code)];

    private readonly Dictionary<string, PostalOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<PostalTrackingEvent> _tracking = [];

    private PostalMock(TimeProvider? timeProvider)
        : base("postal", timeProvider)
    {
    }

    /// <summary>Starts the fake postal operator on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<PostalMock> StartAsync(int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new PostalMock(timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    public IReadOnlyList<PostalOrder> Orders
    {
        get
        {
            lock (Gate)
            {
                return [.. _orders.Values];
            }
        }
    }

    public PostalOrder? FindOrder(string orderNumber)
    {
        lock (Gate)
        {
            return _orders.GetValueOrDefault(orderNumber);
        }
    }

    /// <summary>Adds a tracking event for an existing order, as the operator's network would (picked up, delivered, …).</summary>
    public PostalTrackingEvent AddTrackingEvent(string orderNumber, string statusCode, string statusMessage, string notes = "")
    {
        lock (Gate)
        {
            var order = _orders.GetValueOrDefault(orderNumber) ?? throw new ArgumentException($"no order {orderNumber}", nameof(orderNumber));
            return Track(order, statusCode, statusMessage, notes);
        }
    }

    /// <summary>The steps an order goes through after it is created, as the operator's network reports them.</summary>
    public static readonly IReadOnlyList<(string StatusCode, string StatusMessage, string PosId)> Journey =
    [
        ("2", "Đã nhận hàng (bưu tá đã lấy hồ sơ)", DemoPosId),
        ("3", "Đang vận chuyển", "380000"),
        ("4", "Phát thành công", "381200"),
    ];

    /// <summary>
    /// Moves every open order one step along <see cref="Journey"/> (picked up, in transit, delivered), adding a
    /// tracking event for each; orders that are cancelled or delivered stay. Returns the events added.
    /// </summary>
    public IReadOnlyList<PostalTrackingEvent> AdvanceTracking()
    {
        lock (Gate)
        {
            var added = new List<PostalTrackingEvent>();
            foreach (var order in _orders.Values.Where(o => !o.Cancelled).OrderBy(o => o.ItemCode, StringComparer.Ordinal))
            {
                var last = _tracking.Last(e => e.OrderNumber == order.OrderNumber).StatusCode;
                var next = last == TrackingCreated ? 0 : Journey.ToList().FindIndex(j => j.StatusCode == last) + 1;
                if (next < Journey.Count)
                {
                    var step = Journey[next];
                    added.Add(Track(order, step.StatusCode, step.StatusMessage, "", step.PosId));
                }
            }

            return added;
        }
    }

    private protected override string BusinessMethod => "POST";

    private protected override string BusinessPath => CreatePath;

    private protected override void ResetState()
    {
        _orders.Clear();
        _tracking.Clear();
    }

    private protected override void MapMoreEndpoints(WireMockServer server)
    {
        base.MapMoreEndpoints(server);
        MapBusinessCall(server, "POST", CancelPath, Cancel);
        MapBusinessCall(server, "GET", TrackingPath, Tracking);
        server.Given(Request.Create().WithPath("/__tracking/advance").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => Http.Json(200, $"{{\"added\":{AdvanceTracking().Count}}}")));
    }

    private protected override MockReply Answer(IRequestMessage request)
    {
        var body = Json.ParseObject(Http.Body(request));
        if (body is null)
        {
            return Reply(StatusInvalid, "Dữ liệu gửi lên không phải JSON hợp lệ");
        }

        var key = IdempotencyKey(request);
        lock (Gate)
        {
            if (TryReplay(key, out var replayed))
            {
                return replayed;
            }

            if (InvalidOrder(body) is { } problem)
            {
                return Reply(StatusInvalid, problem);
            }

            var orderNumber = Json.Text(body["OrderNumber"])!;
            if (IsRejected(orderNumber))
            {
                return Reply(StatusRefused, $"Đơn hàng {orderNumber} bị từ chối");
            }

            if (_orders.ContainsKey(orderNumber))
            {
                return Reply(StatusDuplicate, $"OrderNumber {orderNumber} đã tồn tại");
            }

            var order = new PostalOrder(
                orderNumber,
                string.Create(CultureInfo.InvariantCulture, $"EO{_orders.Count + 1:D9}VN"),
                Cancelled: false,
                body.ToJsonString(Json.Relaxed));
            _orders[orderNumber] = order;
            Track(order, TrackingCreated, "Tạo đơn hàng", "");
            Record(orderNumber, "order created", null, key, body);
            return Remember(key, Reply(StatusSuccess, "Thành công"));
        }
    }

    private MockReply Cancel(IRequestMessage request)
    {
        var body = Json.ParseObject(Http.Body(request));
        if (body is null)
        {
            return Reply(StatusInvalid, "Dữ liệu gửi lên không phải JSON hợp lệ");
        }

        var key = IdempotencyKey(request);
        lock (Gate)
        {
            if (TryReplay(key, out var replayed))
            {
                return replayed;
            }

            if (Json.FirstMissing(body, "CustomerCode", "OrderNumber") is { } missing)
            {
                return Reply(StatusInvalid, $"Thiếu trường bắt buộc {missing}");
            }

            if (!string.Equals(Json.Text(body["CustomerCode"]), DemoCustomerCode, StringComparison.Ordinal))
            {
                return Reply(StatusInvalid, "CustomerCode không hợp lệ");
            }

            var orderNumber = Json.Text(body["OrderNumber"])!;
            if (IsRejected(orderNumber))
            {
                return Reply(StatusRefused, $"Đơn hàng {orderNumber} bị từ chối");
            }

            if (!_orders.TryGetValue(orderNumber, out var order))
            {
                return Reply(StatusNotFound, $"Không tìm thấy đơn hàng {orderNumber}");
            }

            if (order.Cancelled)
            {
                return Remember(key, Reply(StatusSuccess, "Đơn hàng đã được hủy trước đó"));
            }

            _orders[orderNumber] = order with { Cancelled = true };
            Track(order, TrackingCancelled, "Hủy đơn hàng", "");
            Record(orderNumber, "order cancelled", null, key, body);
            return Remember(key, Reply(StatusSuccess, "Thành công"));
        }
    }

    private MockReply Tracking(IRequestMessage request)
    {
        var pageSize = 100;
        long lastId = 0;
        if ((Http.Query(request, "pagesize") is { } sizeText
                && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 500))
            || (Http.Query(request, "lastId") is { } lastText
                && !long.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out lastId)))
        {
            return new MockReply(400, """{"Status":"101","Message":"pagesize phải từ 1 đến 500, lastId là số không âm"}""");
        }

        lock (Gate)
        {
            PostalTrackingEvent[] page = [.. _tracking.Where(e => e.Id > lastId).Take(pageSize)];
            return MockReply.Of(200, page, WireJsonContext.Wire.PostalTrackingEventArray);
        }
    }

    private static string? InvalidOrder(JsonObject body)
    {
        if (Json.FirstMissing(body, RequiredOrderFields) is { } missing)
        {
            return $"Thiếu trường bắt buộc {missing}";
        }

        if (!string.Equals(Json.Text(body["CustomerCode"]), DemoCustomerCode, StringComparison.Ordinal))
        {
            return "CustomerCode không hợp lệ";
        }

        foreach (var field in (string[])["SenderProvince", "ReceiverProvince"])
        {
            if (!ProvinceCodes.Contains(Json.Text(body[field])!))
            {
                return $"{field} phải là mã tỉnh/thành hiện hành (2 chữ số)";
            }
        }

        // Since 1 July 2025 there is no district level: the District fields are empty or carry a 5-digit commune code.
        foreach (var field in (string[])["SenderDistrict", "ReceiverDistrict"])
        {
            if (Json.Text(body[field]) is { } code && (code.Length != 5 || !code.All(char.IsAsciiDigit)))
            {
                return $"{field} phải để trống hoặc là mã phường/xã (5 chữ số)";
            }
        }

        if (Json.Text(body["CODAmount"]) is { } cod
            && (!decimal.TryParse(cod, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0))
        {
            return "CODAmount phải là số không âm";
        }

        return null;
    }

    private PostalTrackingEvent Track(PostalOrder order, string statusCode, string statusMessage, string notes, string posId = DemoPosId)
    {
        var at = TimeProvider.GetUtcNow().ToOffset(TimeSpan.FromHours(7));
        var entry = new PostalTrackingEvent(
            _tracking.Count + 1,
            DemoCustomerCode,
            order.OrderNumber,
            at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            posId,
            order.ItemCode,
            statusCode,
            statusMessage,
            notes);
        _tracking.Add(entry);
        return entry;
    }

    private static MockReply Reply(string status, string message) =>
        new(200, new JsonObject { ["Status"] = status, ["Message"] = message }.ToJsonString(Json.Relaxed));
}
