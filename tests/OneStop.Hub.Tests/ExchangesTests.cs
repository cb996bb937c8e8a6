using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneStop.Hub.Diagnostics;
using OneStop.Hub.Evidence;
using Shouldly;

namespace OneStop.Hub.Tests;

/// <summary>The one recording place for lookups: the metrics operations.md documents, the log line, the evidence record.</summary>
public sealed class ExchangesTests
{
    [Fact]
    public async Task A_lookup_is_counted_with_its_upstream_logged_at_Debug_when_answered_and_at_Information_otherwise_and_recorded()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var logs = new Lines();
        var recorded = new List<ExchangeRecord>();
        var exchanges = new Exchanges(new Recorder(recorded), logs, meters);
        var counted = new List<(string Instrument, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this factory's meter: tests running beside this one record lookups too.
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == HubMetricNames.Meter && instrument.Name is HubMetricNames.Lookups or HubMetricNames.LookupDuration)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => counted.Add((i.Name, Show(tags))));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => counted.Add((i.Name, Show(tags))));
        listener.Start();

        await exchanges.LookupAsync(new LookupExchange("GetEnterprise", "*******564", TimeSpan.FromMilliseconds(3)), Record(ExchangeOutcome.Ok));
        await exchanges.LookupAsync(new LookupExchange("GetEnterprise", "*******106", TimeSpan.FromMilliseconds(2)), Record("not_found"));

        counted.ShouldBe(
        [
            (HubMetricNames.Lookups, "operation=GetEnterprise,upstream=business,outcome=ok"),
            (HubMetricNames.LookupDuration, "operation=GetEnterprise,upstream=business,outcome=ok"),
            (HubMetricNames.Lookups, "operation=GetEnterprise,upstream=business,outcome=not_found"),
            (HubMetricNames.LookupDuration, "operation=GetEnterprise,upstream=business,outcome=not_found"),
        ]);
        logs.Written.Select(l => l.Level).ShouldBe([LogLevel.Debug, LogLevel.Information]);
        logs.Written[0].Text.ShouldStartWith("GetEnterprise via business for *******564: ok (request r-ok, 3.0 ms)");
        logs.Written[1].Text.ShouldStartWith("GetEnterprise via business for *******106: not_found (request r-not_found, 2.0 ms)");
        recorded.Select(r => r.Outcome).ShouldBe([ExchangeOutcome.Ok, "not_found"]);
    }

    private static ExchangeRecord Record(string outcome) => new()
    {
        Client = "demo",
        Operation = "LookupService/GetEnterprise",
        Time = DateTimeOffset.UnixEpoch,
        Outcome = outcome,
        Upstream = "business",
        RequestId = $"r-{outcome}",
    };

    private static string Show(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var (key, value) in tags)
        {
            parts.Add($"{key}={value}");
        }

        return string.Join(',', parts);
    }

    private sealed class Recorder(List<ExchangeRecord> records) : IEvidenceRecorder
    {
        public ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
        {
            records.Add(record);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Lines : ILogger<Exchanges>
    {
        public List<(LogLevel Level, string Text)> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add((logLevel, formatter(state, exception)));
    }
}
