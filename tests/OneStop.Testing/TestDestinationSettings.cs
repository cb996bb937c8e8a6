using OneStop.Mocks;

namespace OneStop.Testing;

/// <summary>
/// Upstream settings that point the delivery adapters at the fake destinations: the short timeouts of
/// <see cref="TestUpstreamSettings"/>, plus each destination's fixed values (dstcode, SiteId, CustomerCode,
/// sender) under <c>Upstreams:&lt;Name&gt;:Parameters</c>, as docs/adapters.md lists them.
/// </summary>
public static class TestDestinationSettings
{
    public const string Province = "38";
    public const string SenderCommune = "16012";

    public static Dictionary<string, string?> For(string name, DestinationMock mock)
    {
        ArgumentNullException.ThrowIfNull(mock);
        var settings = TestUpstreamSettings.For(name, mock);
        foreach (var (key, value) in ParametersFor(mock))
        {
            settings[$"Upstreams:{name}:Parameters:{key}"] = value;
        }

        return settings;
    }

    public static Dictionary<string, string?> ForAll(DestinationMocks mocks)
    {
        ArgumentNullException.ThrowIfNull(mocks);
        var all = new Dictionary<string, string?>();
        foreach (var (name, mock) in new (string, DestinationMock)[] { ("Portal", mocks.Portal), ("Emc", mocks.Emc), ("Postal", mocks.Postal) })
        {
            foreach (var kv in For(name, mock))
            {
                all[kv.Key] = kv.Value;
            }
        }

        return all;
    }

    /// <summary>The fixed values each fake accepts.</summary>
    public static IReadOnlyDictionary<string, string> ParametersFor(DestinationMock mock) => mock switch
    {
        PortalMock => new Dictionary<string, string> { ["dstcode"] = PortalMock.DemoDstCode },
        EmcMock => new Dictionary<string, string> { ["site_id"] = EmcMock.DemoSiteId, ["ma_tinh"] = Province },
        PostalMock => new Dictionary<string, string>
        {
            ["customer_code"] = PostalMock.DemoCustomerCode,
            ["sender_province"] = Province,
            ["sender_commune"] = SenderCommune,
            ["sender_address"] = "Trung tâm Phục vụ hành chính công tỉnh, 1 Quảng trường",
            ["sender_name"] = "Bộ phận Một cửa tỉnh",
            ["sender_tel"] = "02373000000",
            ["sender_email"] = "motcua@example.gov.vn",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(mock), mock.Name, "not a destination mock"),
    };
}
