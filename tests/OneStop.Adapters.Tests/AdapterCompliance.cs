using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneStop.Adapters;
using OneStop.Adapters.Generic;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Adapters.Tests;

/// <summary>
/// What every lookup must do against its upstream, whatever the upstream: run once per built-in lookup (the
/// file-defined adapter over <c>upstreams/&lt;id&gt;.yaml</c> of the shipped mapping folder) against that upstream's
/// fake, each test with a fresh fake and a fresh adapter (so a fresh circuit).
/// Upstream settings: 2 s attempt timeout, 2 retries, breaker opens at 50% of at least 4 calls, for 1 s.
/// </summary>
public abstract class AdapterCompliance<TQuery, TRecord> : IAsyncLifetime
    where TRecord : class
{
    private MockServer _mock = null!;
    private IHost _host = null!;
    private ILookupAdapter<TQuery, TRecord> _adapter = null!;

    /// <summary>Configuration name of the upstream: <c>Upstreams:&lt;Name&gt;</c>.</summary>
    protected abstract string Name { get; }

    protected abstract Task<MockServer> StartMockAsync(SyntheticDataset data);

    protected abstract void AddAdapter(IHostApplicationBuilder builder);

    /// <summary>The built-in lookup <paramref name="id"/> as the hub registers it, alone (so only its settings are required).</summary>
    protected static void AddBuiltInLookup(IHostApplicationBuilder builder, string id)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GenericUpstreamRegistration.AddGenericUpstreams(builder.Services);
        GenericUpstreamRegistration.AddBuiltInLookup(builder.Services, id);
    }

    /// <summary>A query for a record the fake holds.</summary>
    protected abstract TQuery Known { get; }

    /// <summary>A valid query for a record the fake does not hold.</summary>
    protected abstract TQuery Unknown { get; }

    protected abstract void ShouldBeTheKnownRecord(TRecord record);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _mock = await StartMockAsync(SyntheticDataset.Default);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(TestUpstreamSettings.For(Name, _mock));
        builder.Services.AddSingleton<IMappingSource>(CatalogMappingSource.Shipped);
        AddAdapter(builder);
        _host = builder.Build();
        await _host.StartAsync(Ct);
        _adapter = _host.Services.GetRequiredService<ILookupAdapter<TQuery, TRecord>>();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await _mock.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task<UpstreamReply<TRecord>> LookupAsync(TQuery query) =>
        _adapter.LookupAsync(query, new UpstreamCall(Guid.NewGuid().ToString("N")), Ct);

    private async Task<UpstreamException> FailureAsync(TQuery query) =>
        await Should.ThrowAsync<UpstreamException>(() => LookupAsync(query));

    [Fact]
    public async Task Known_record_comes_back_in_the_canonical_shape_with_the_mapping_version()
    {
        var reply = await LookupAsync(Known);
        ShouldBeTheKnownRecord(reply.Record.ShouldNotBeNull());
        reply.MappingVersion.ShouldStartWith($"{_adapter.Upstream}.reply@");
    }

    [Fact]
    public async Task Record_the_upstream_does_not_hold_comes_back_as_none()
    {
        var reply = await LookupAsync(Unknown);
        reply.Record.ShouldBeNull();
    }

    [Fact]
    public async Task Upstream_slower_than_the_timeout_is_cut_off_and_reported_as_timeout()
    {
        _mock.Faults.LatencyMs = 10_000;
        var e = await FailureAsync(Known);
        e.Failure.ShouldBe(UpstreamFailure.Timeout);
        e.Upstream.ShouldBe(_adapter.Upstream);
    }

    [Fact]
    public async Task Upstream_5xx_then_success_is_retried_and_succeeds()
    {
        _mock.Faults.Status5xx = 2;
        var reply = await LookupAsync(Known);
        ShouldBeTheKnownRecord(reply.Record.ShouldNotBeNull());
        _mock.BusinessCalls.ShouldBe(3);
    }

    [Fact]
    public async Task Upstream_5xx_beyond_the_retries_is_reported_unavailable()
    {
        _mock.Faults.Status5xx = -1;
        var e = await FailureAsync(Known);
        e.Failure.ShouldBe(UpstreamFailure.Unavailable);
        e.Message.ShouldContain($"upstream {_adapter.Upstream}");
        _mock.BusinessCalls.ShouldBe(3); // first attempt + 2 retries
    }

    [Fact]
    public async Task Persistent_failure_opens_the_circuit_which_stops_calls_and_closes_when_the_upstream_recovers()
    {
        _mock.Faults.Status5xx = -1;
        UpstreamException? open = null;
        for (var i = 0; i < 10 && open is null; i++)
        {
            var e = await FailureAsync(Known);
            if (e.Message.Contains("circuit is open", StringComparison.Ordinal))
            {
                open = e;
            }
        }

        open.ShouldNotBeNull("the circuit never opened");
        open.Failure.ShouldBe(UpstreamFailure.Unavailable);
        var callsWhenOpen = _mock.BusinessCalls;
        (await FailureAsync(Known)).Message.ShouldContain("circuit is open");
        _mock.BusinessCalls.ShouldBe(callsWhenOpen, "an open circuit must not call the upstream");

        _mock.Faults.Clear();
        UpstreamReply<TRecord>? recovered = null;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (recovered is null && DateTime.UtcNow < deadline)
        {
            try
            {
                recovered = await LookupAsync(Known);
            }
            catch (UpstreamException)
            {
                await Task.Delay(200, Ct);
            }
        }

        ShouldBeTheKnownRecord(recovered.ShouldNotBeNull("the circuit never closed again").Record.ShouldNotBeNull());
    }

    [Fact]
    public async Task Malformed_reply_is_reported_as_malformed_and_not_retried()
    {
        _mock.Faults.MalformedBody = true;
        var e = await FailureAsync(Known);
        e.Failure.ShouldBe(UpstreamFailure.MalformedReply);
        e.Message.ShouldContain($"upstream {_adapter.Upstream} returned a malformed reply");
        _mock.BusinessCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Expired_token_is_renewed_and_the_call_succeeds()
    {
        (await LookupAsync(Known)).Record.ShouldNotBeNull();
        _mock.Faults.ExpireTokens();
        var reply = await LookupAsync(Known);
        ShouldBeTheKnownRecord(reply.Record.ShouldNotBeNull());
    }

    [Fact]
    public async Task Connection_reset_is_reported_unavailable_and_the_next_call_after_recovery_succeeds()
    {
        _mock.Faults.ConnectionReset = true;
        var e = await FailureAsync(Known);
        e.Failure.ShouldBe(UpstreamFailure.Unavailable);
        e.Message.ShouldContain("connection failed");

        _mock.Faults.Clear();
        ShouldBeTheKnownRecord((await LookupAsync(Known)).Record.ShouldNotBeNull());
    }
}
