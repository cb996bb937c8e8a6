namespace OneStop.Mocks;

/// <summary>Ports for <see cref="DestinationMocks.StartAsync"/>; 0 picks a free port.</summary>
public sealed record DestinationMockPorts
{
    public int Portal { get; init; }
    public int Emc { get; init; }
    public int Postal { get; init; }

    /// <summary>Every mock on a free port (tests).</summary>
    public static DestinationMockPorts Dynamic { get; } = new();

    /// <summary>The fixed ports of docs/adapters.md: portal 5095, EMC 5096, postal 5097.</summary>
    public static DestinationMockPorts Standalone { get; } = new() { Portal = 5095, Emc = 5096, Postal = 5097 };
}

/// <summary>The three fake destinations of dossier events (national portal, EMC, postal operator), bound to 127.0.0.1 only.</summary>
public sealed class DestinationMocks : IAsyncDisposable
{
    /// <summary>Province code the demo destinations use (Thanh Hóa).</summary>
    public const string DemoProvince = "38";

    /// <summary>Commune code of the demo sender (the one-stop desk).</summary>
    public const string DemoSenderCommune = "16012";

    /// <summary>
    /// The fixed values each fake accepts, as the adapters read them from <c>Upstreams:&lt;Name&gt;:Parameters</c>
    /// (dstcode, SiteId, CustomerCode, sender): what the demo host and the tests configure.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DemoParametersFor(DestinationMock mock) => mock switch
    {
        PortalMock => new Dictionary<string, string> { ["dstcode"] = PortalMock.DemoDstCode },
        EmcMock => new Dictionary<string, string> { ["site_id"] = EmcMock.DemoSiteId, ["ma_tinh"] = DemoProvince },
        PostalMock => new Dictionary<string, string>
        {
            ["customer_code"] = PostalMock.DemoCustomerCode,
            ["sender_province"] = DemoProvince,
            ["sender_commune"] = DemoSenderCommune,
            ["sender_address"] = "Trung tâm Phục vụ hành chính công tỉnh, 1 Quảng trường",
            ["sender_name"] = "Bộ phận Một cửa tỉnh",
            ["sender_tel"] = "02373000000",
            ["sender_email"] = "motcua@example.gov.vn",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(mock), mock?.Name, "not a destination mock"),
    };

    private DestinationMocks(PortalMock portal, EmcMock emc, PostalMock postal)
    {
        Portal = portal;
        Emc = emc;
        Postal = postal;
        All = [portal, emc, postal];
    }

    public PortalMock Portal { get; }

    public EmcMock Emc { get; }

    public PostalMock Postal { get; }

    /// <summary>Portal, EMC, postal: in that order.</summary>
    public IReadOnlyList<DestinationMock> All { get; }

    /// <summary>Starts the three fakes (free ports unless <paramref name="ports"/> says otherwise). If one fails, the others are stopped.</summary>
    public static async Task<DestinationMocks> StartAsync(DestinationMockPorts? ports = null, TimeProvider? timeProvider = null)
    {
        ports ??= DestinationMockPorts.Dynamic;
        var started = new List<MockServer>();
        try
        {
            var portal = await Track(PortalMock.StartAsync(ports.Portal, timeProvider)).ConfigureAwait(false);
            var emc = await Track(EmcMock.StartAsync(ports.Emc, timeProvider)).ConfigureAwait(false);
            var postal = await Track(PostalMock.StartAsync(ports.Postal, timeProvider)).ConfigureAwait(false);
            return new DestinationMocks(portal, emc, postal);
        }
        catch
        {
            foreach (var mock in started)
            {
                await mock.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        async Task<T> Track<T>(Task<T> starting)
            where T : MockServer
        {
            var mock = await starting.ConfigureAwait(false);
            started.Add(mock);
            return mock;
        }
    }

    /// <summary>Clears the fault switches of every fake.</summary>
    public void ClearFaults()
    {
        foreach (var mock in All)
        {
            mock.Faults.Clear();
        }
    }

    /// <summary>Forgets every side effect, idempotency key, refusal and held dossier or order.</summary>
    public void Reset()
    {
        foreach (var mock in All)
        {
            mock.Reset();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var mock in All)
        {
            await mock.DisposeAsync().ConfigureAwait(false);
        }
    }
}
