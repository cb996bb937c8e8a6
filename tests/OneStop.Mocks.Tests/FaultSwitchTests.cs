using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace OneStop.Mocks.Tests;

/// <summary>Each test starts a mock of its own, so switching faults never disturbs another test.</summary>
public sealed class FaultSwitchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Systems => ["population", "business", "insurance", "land"];

    private static async Task<MockServer> StartAsync(string system, TimeProvider? time = null) => system switch
    {
        "population" => await PopulationMock.StartAsync(SyntheticDataset.Default, timeProvider: time),
        "business" => await BusinessMock.StartAsync(SyntheticDataset.Default, timeProvider: time),
        "insurance" => await InsuranceMock.StartAsync(SyntheticDataset.Default, timeProvider: time),
        "land" => await LandMock.StartAsync(SyntheticDataset.Default, timeProvider: time),
        _ => throw new ArgumentOutOfRangeException(nameof(system)),
    };

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Latency_makes_a_client_with_a_short_timeout_give_up(string system)
    {
        await using var mock = await StartAsync(system);
        using var patient = new MockClient(mock);
        using var impatient = new MockClient(mock, timeout: TimeSpan.FromMilliseconds(200));
        var token = await patient.TokenAsync();

        mock.Faults.LatencyMs = 2000;
        await Should.ThrowAsync<TaskCanceledException>(() => impatient.BusinessCallAsync(token));

        mock.Faults.LatencyMs = 0;
        using var response = await patient.BusinessCallAsync(token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Latency_does_not_delay_the_token_endpoint()
    {
        await using var mock = await StartAsync("land");
        using var impatient = new MockClient(mock, timeout: TimeSpan.FromSeconds(5));
        mock.Faults.LatencyMs = 10_000;
        (await impatient.TokenAsync()).ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Status5xx_fails_exactly_the_next_N_business_calls_with_503(string system)
    {
        await using var mock = await StartAsync(system);
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        mock.Faults.Status5xx = 2;

        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.BusinessCallAsync(token);
            failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await failed.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"error":"service unavailable"}""");
        }

        using var ok = await client.BusinessCallAsync(token);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        mock.Faults.Status5xx.ShouldBe(0);
        mock.BusinessCalls.ShouldBe(3);
    }

    [Fact]
    public async Task Status5xx_minus_one_fails_every_call_until_cleared()
    {
        await using var mock = await StartAsync("business");
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        mock.Faults.Status5xx = -1;
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.BusinessCallAsync(token);
            failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }

        mock.Faults.Clear();
        using var ok = await client.BusinessCallAsync(token);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Status5xx_budget_is_not_overspent_by_concurrent_calls()
    {
        await using var mock = await StartAsync("insurance");
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        mock.Faults.Status5xx = 10;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await client.BusinessCallAsync(token);
            return response.StatusCode;
        }));
        statuses.Count(s => s == HttpStatusCode.ServiceUnavailable).ShouldBe(10);
        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(20);
        mock.BusinessCalls.ShouldBe(30);
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task MalformedBody_answers_200_with_truncated_JSON(string system)
    {
        await using var mock = await StartAsync(system);
        using var client = new MockClient(mock);
        mock.Faults.MalformedBody = true;
        using var response = await client.BusinessCallAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldStartWith("{");
        Should.Throw<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task MalformedBody_still_requires_a_valid_token()
    {
        await using var mock = await StartAsync("land");
        using var client = new MockClient(mock);
        mock.Faults.MalformedBody = true;
        using var response = await client.BusinessCallAsync(authorize: false);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task ExpireTokens_makes_the_next_call_401_and_a_new_token_works(string system)
    {
        await using var mock = await StartAsync(system);
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        using (var before = await client.BusinessCallAsync(token))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        mock.Faults.ExpireTokens();
        using (var expired = await client.BusinessCallAsync(token))
        {
            expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await expired.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"error":"invalid_token"}""");
        }

        var renewed = await client.TokenAsync();
        renewed.ShouldNotBe(token);
        using var after = await client.BusinessCallAsync(renewed);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_expires_after_its_lifetime_on_the_mock_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var mock = await StartAsync("population", clock);
        using var client = new MockClient(mock);
        mock.TokenLifetime = TimeSpan.FromMinutes(5);
        using var tokenResponse = await client.RequestTokenAsync();
        using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(Ct));
        tokenJson.RootElement.GetProperty("expires_in").GetInt32().ShouldBe(300);
        var token = tokenJson.RootElement.GetProperty("access_token").GetString()!;

        clock.Advance(TimeSpan.FromMinutes(4));
        using (var valid = await client.BusinessCallAsync(token))
        {
            valid.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        using var expired = await client.BusinessCallAsync(token);
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Card_validity_and_open_periods_follow_the_mock_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 12, 31, 17, 30, 0, TimeSpan.Zero)); // 1 Jan 2032 in Viet Nam
        await using var mock = await StartAsync("insurance", clock);
        using var client = new MockClient(mock);
        using var json = await client.JsonAsync(MockClient.Insurance(new { MaSoBHXH = DocumentedSamples.CitizenMaSoBHXH }), await client.TokenAsync());
        var record = json.RootElement.GetProperty("result")[0];
        record.GetProperty("TheBHYT").GetProperty("GiaTriTu").GetString().ShouldBe("01/01/2032");
        record.GetProperty("TheBHYT").GetProperty("GiaTriDen").GetString().ShouldBe("31/12/2032");
        record.GetProperty("QuaTrinhThamGia").EnumerateArray().Last().GetProperty("DenThang").GetString().ShouldBe("01/2032");
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task ConnectionReset_resets_new_connections(string system)
    {
        await using var mock = await StartAsync(system);
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        mock.Faults.ConnectionReset = true;

        using var fresh = new MockClient(mock);
        var ex = await Should.ThrowAsync<Exception>(() => fresh.BusinessCallAsync(token));
        IsConnectionFailure(ex).ShouldBeTrue(ex.ToString());

        mock.Faults.ConnectionReset = false;
        using var response = await fresh.BusinessCallAsync(token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConnectionReset_also_resets_a_pooled_connection_on_its_next_request()
    {
        await using var mock = await StartAsync("business");
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        using (var warm = await client.BusinessCallAsync(token))
        {
            warm.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        mock.Faults.ConnectionReset = true;
        var ex = await Should.ThrowAsync<Exception>(() => client.BusinessCallAsync(token));
        IsConnectionFailure(ex).ShouldBeTrue(ex.ToString());
        mock.BusinessCalls.ShouldBe(1);
    }

    [Fact]
    public async Task ConnectionReset_sends_a_TCP_reset_not_a_clean_close()
    {
        await using var mock = await StartAsync("land");
        mock.Faults.ConnectionReset = true;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var buffer = new byte[256];
        var ex = await Should.ThrowAsync<SocketException>(async () =>
        {
            // The reset may already show on connect, or on the first send or receive.
            await socket.ConnectAsync(IPAddress.Loopback, mock.Url.Port, Ct);
            await socket.SendAsync("GET /__calls HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, Ct);
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, Ct) > 0)
            {
            }

            throw new InvalidOperationException("The connection was closed cleanly (FIN), not reset.");
        });
        ex.SocketErrorCode.ShouldBe(SocketError.ConnectionReset);
    }

    [Fact]
    public async Task Control_url_stays_reachable_while_connections_are_reset()
    {
        await using var mock = await StartAsync("population");
        mock.Faults.ConnectionReset = true;
        using var control = new MockClient(mock, baseUrl: mock.ControlUrl);
        using var response = await control.Http.DeleteAsync("__faults", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        mock.Faults.ConnectionReset.ShouldBeFalse();

        using var client = new MockClient(mock);
        (await client.TokenAsync()).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Faults_can_be_switched_over_HTTP()
    {
        await using var mock = await StartAsync("insurance");
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();

        using (var set = await client.Http.PostAsync("__faults", Json("""{"status5xx":1,"latencyMs":5,"malformedBody":false}"""), Ct))
        {
            set.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await set.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"latencyMs":5,"status5xx":1,"malformedBody":false,"connectionReset":false}""");
        }

        mock.Faults.Status5xx.ShouldBe(1);
        mock.Faults.LatencyMs.ShouldBe(5);
        using (var failed = await client.BusinessCallAsync(token))
        {
            failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }

        using (var expire = await client.Http.PostAsync("__faults", Json("""{"expireTokens":true,"malformedBody":true}"""), Ct))
        {
            expire.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        mock.Faults.MalformedBody.ShouldBeTrue();
        using (var expired = await client.BusinessCallAsync(token))
        {
            expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var state = await client.Http.GetAsync("__faults", Ct))
        {
            (await state.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"latencyMs":5,"status5xx":0,"malformedBody":true,"connectionReset":false}""");
        }

        using (var cleared = await client.Http.DeleteAsync("__faults", Ct))
        {
            (await cleared.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"latencyMs":0,"status5xx":0,"malformedBody":false,"connectionReset":false}""");
        }

        using var ok = await client.BusinessCallAsync();
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"latencyMs":-5}""")]
    [InlineData("""{"status5xx":-2}""")]
    public async Task Invalid_fault_settings_are_refused_with_400(string body)
    {
        await using var mock = await StartAsync("land");
        using var client = new MockClient(mock);
        using var response = await client.Http.PostAsync("__faults", Json(body), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        mock.Faults.LatencyMs.ShouldBe(0);
        mock.Faults.Status5xx.ShouldBe(0);
    }

    [Fact]
    public async Task Calls_endpoint_counts_business_calls_only()
    {
        await using var mock = await StartAsync("land");
        using var client = new MockClient(mock);
        var token = await client.TokenAsync();
        for (var i = 0; i < 3; i++)
        {
            using var _ = await client.BusinessCallAsync(token);
        }

        using (var unauthorised = await client.BusinessCallAsync(authorize: false))
        {
            unauthorised.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        mock.BusinessCalls.ShouldBe(4);
        (await client.Http.GetFromJsonAsync<JsonElement>("__calls", Ct)).GetProperty("businessCalls").GetInt32().ShouldBe(4);

        using var reset = await client.Http.DeleteAsync("__calls", Ct);
        (await reset.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"businessCalls":0}""");
        mock.BusinessCalls.ShouldBe(0);
    }

    [Fact]
    public void Fault_switches_reject_out_of_range_values()
    {
        var faults = new FaultSwitches(() => { });
        Should.Throw<ArgumentOutOfRangeException>(() => faults.LatencyMs = -1);
        Should.Throw<ArgumentOutOfRangeException>(() => faults.Status5xx = -2);
        faults.Status5xx = -1;
        faults.Clear();
        faults.Status5xx.ShouldBe(0);
    }

    [Fact]
    public async Task Stopping_twice_is_harmless_and_frees_the_port()
    {
        var mock = await StartAsync("business");
        var port = mock.Url.Port;
        await mock.StopAsync();
        await mock.DisposeAsync();
        await using var again = await BusinessMock.StartAsync(SyntheticDataset.Default, port);
        again.Url.Port.ShouldBe(port);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>HttpClient reports a reset as HttpRequestException, IOException or SocketException, sometimes nested.</summary>
    private static bool IsConnectionFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
