using OneStop.Mocks;

namespace OneStop.Testing;

/// <summary>
/// Upstream settings that point the hub at in-process mocks, with short timeouts and a quick breaker so fault tests
/// finish fast. The attempt timeout is 2 s, not less: on a loaded 2-core CI machine a fresh host's first call (token,
/// JIT) took over 1 s, timed out and was retried, so "not retried" tests saw two calls.
/// </summary>
public static class TestUpstreamSettings
{
    public static Dictionary<string, string?> For(string name, MockServer mock, int breakerMinimumThroughput = 4) => new()
    {
        [$"Upstreams:{name}:BaseUrl"] = mock.Url.ToString(),
        [$"Upstreams:{name}:ClientId"] = MockServer.DemoClientId,
        [$"Upstreams:{name}:ClientSecret"] = MockServer.DemoClientSecret,
        [$"Upstreams:{name}:AttemptTimeout"] = "00:00:02",
        [$"Upstreams:{name}:TotalTimeout"] = "00:00:10",
        [$"Upstreams:{name}:MaxRetries"] = "2",
        [$"Upstreams:{name}:RetryDelay"] = "00:00:00.050",
        [$"Upstreams:{name}:BreakerMinimumThroughput"] = breakerMinimumThroughput.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Upstreams:{name}:BreakerFailureRatio"] = "0.5",
        [$"Upstreams:{name}:BreakerSamplingDuration"] = "00:00:10",
        [$"Upstreams:{name}:BreakerBreakDuration"] = "00:00:01",
    };

    public static Dictionary<string, string?> ForAll(NationalMocks mocks)
    {
        ArgumentNullException.ThrowIfNull(mocks);
        var all = new Dictionary<string, string?>();
        foreach (var (name, mock) in new (string, MockServer)[]
                 {
                     ("Population", mocks.Population), ("Business", mocks.Business), ("Insurance", mocks.Insurance), ("Land", mocks.Land),
                 })
        {
            foreach (var kv in For(name, mock))
            {
                all[kv.Key] = kv.Value;
            }
        }

        return all;
    }
}
