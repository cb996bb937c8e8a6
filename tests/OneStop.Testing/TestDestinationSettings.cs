using OneStop.Mocks;

namespace OneStop.Testing;

/// <summary>
/// Upstream settings that point the delivery adapters at the fake destinations: the short timeouts of
/// <see cref="TestUpstreamSettings"/>, plus each destination's fixed values (dstcode, SiteId, CustomerCode,
/// sender) under <c>Upstreams:&lt;Name&gt;:Parameters</c>, as docs/adapters.md lists them.
/// </summary>
public static class TestDestinationSettings
{
    public const string Province = DestinationMocks.DemoProvince;
    public const string SenderCommune = DestinationMocks.DemoSenderCommune;

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
    public static IReadOnlyDictionary<string, string> ParametersFor(DestinationMock mock) => DestinationMocks.DemoParametersFor(mock);
}
