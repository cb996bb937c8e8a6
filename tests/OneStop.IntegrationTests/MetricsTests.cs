using System.Text.Json;
using System.Text.RegularExpressions;
using OneStop.Grpc.V1;
using OneStop.Hub.Diagnostics;
using OneStop.Testing;
using Shouldly;
using YamlDotNet.RepresentationModel;

namespace OneStop.IntegrationTests;

/// <summary>
/// /metrics of the running hub after real traffic: the hub's own metrics, HttpClient, runtime and process metrics;
/// and every metric the shipped Grafana dashboard and Prometheus alerts query.
/// </summary>
[Collection(OperatorCollection.Name)]
public sealed partial class MetricsTests(OperatorFixture fixture)
{
    /// <summary>
    /// Metrics the dashboard and alerts query that a later change will export, each with the reason. The test fails as
    /// soon as one appears at /metrics, so its entry is removed (and checked) when it arrives. None are pending now.
    /// </summary>
    private static readonly Dictionary<string, string> Pending = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Series Prometheus makes itself for every target: never at /metrics.</summary>
    private static readonly HashSet<string> MadeByPrometheus = new(StringComparer.Ordinal) { "up" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_exports_hub_http_client_runtime_and_process_metrics()
    {
        var names = await ScrapeAfterTraffic();

        string[] hub = [HubMetricNames.Lookups, HubMetricNames.EvidenceWritten, HubMetricNames.EvidenceFailed, HubMetricNames.BreakerState,
            HubMetricNames.MappingReloads, HubMetricNames.Ready, HubMetricNames.Deliveries, HubMetricNames.Parked, HubMetricNames.DeliveryLag];
        foreach (var name in hub.Select(HubMetricNames.Prometheus))
        {
            names.ShouldContain(name, $"hub metric {name}");
        }

        names.ShouldContain(HubMetricNames.Prometheus(HubMetricNames.LookupDuration) + "_bucket");
        names.ShouldContain("system_net_http_http_client_request_duration_bucket", "HttpClient (upstream calls)");
        names.ShouldContain("system_runtime_dotnet_gc_collections", "runtime");
        names.ShouldContain("system_runtime_dotnet_thread_pool_thread_count", "runtime");
        names.ShouldContain("process_cpu_seconds_total", "process");
        names.ShouldContain("process_working_set_bytes", "process");
        names.Where(n => n.Contains("memory_pool", StringComparison.Ordinal) || n.Contains("http_client_open_connections", StringComparison.Ordinal)
            || n.Contains("http_client_active_requests", StringComparison.Ordinal) || n.Contains("pipeline_duration", StringComparison.Ordinal))
            .ShouldBeEmpty("per-call instruments that cost CPU on every exchange and say nothing new are not exported");
    }

    [Fact]
    public async Task Every_metric_the_dashboard_and_alerts_query_exists_at_metrics()
    {
        var names = await ScrapeAfterTraffic();
        var queried = DashboardQueries().Concat(AlertQueries()).SelectMany(MetricsIn).ToHashSet(StringComparer.Ordinal);
        queried.Count.ShouldBeGreaterThan(10);

        var missing = queried.Where(m => !names.Contains(m) && !Pending.ContainsKey(m) && !MadeByPrometheus.Contains(m)).Order().ToList();
        missing.ShouldBeEmpty($"queried by deploy/ but not at /metrics; exported: {string.Join(", ", names.Order())}");

        var arrived = Pending.Keys.Where(names.Contains).ToList();
        arrived.ShouldBeEmpty("now exported: remove these from Pending so the test checks them");
        queried.ShouldContain(HubMetricNames.Prometheus(HubMetricNames.Parked), "the alerts and dashboard must cover parked dossiers");
    }

    [Fact]
    public void Alerts_cover_parked_lag_evidence_breaker_and_readiness()
    {
        var rules = AlertRules();
        rules.Keys.ShouldBe(["OneStopDossierParked", "OneStopDeliveryLagGrowing", "OneStopEvidenceWriteFailures", "OneStopUpstreamBreakerOpen", "OneStopNotReady"], ignoreOrder: true);
        rules["OneStopDossierParked"].For.ShouldBe("15m");
        rules["OneStopDeliveryLagGrowing"].For.ShouldBe("10m");
        MetricsIn(rules["OneStopNotReady"].Expr).ShouldContain(HubMetricNames.Prometheus(HubMetricNames.Ready));
        MetricsIn(rules["OneStopUpstreamBreakerOpen"].Expr).ShouldContain(HubMetricNames.Prometheus(HubMetricNames.BreakerState));
        MetricsIn(rules["OneStopEvidenceWriteFailures"].Expr).ShouldContain(HubMetricNames.Prometheus(HubMetricNames.EvidenceFailed));
    }

    /// <summary>Lookups (ok and not found), a reload, a dossier event; then the metric names /metrics exports once the hub reports ready.</summary>
    private async Task<HashSet<string>> ScrapeAfterTraffic()
    {
        var lookups = new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey());
        await lookups.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        await Should.ThrowAsync<global::Grpc.Core.RpcException>(() => lookups.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = "038085999999" }, cancellationToken: Ct).ResponseAsync);
        await new MappingAdminService.MappingAdminServiceClient(fixture.Hub.Grpc.WithApiKey()).ReloadMappingsAsync(new ReloadMappingsRequest(), cancellationToken: Ct);
        var maHoSo = TestDossierEvents.NewMaHoSo();
        await new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey()).PublishEventAsync(DossierRoutingTests.Event(maHoSo, 2, $"{maHoSo}/metrics"), cancellationToken: Ct);
        await Eventually.True(() => fixture.Alpha.For(maHoSo).Count == 1, "the event is delivered", TimeSpan.FromSeconds(30), cancellationToken: Ct);

        using var http = fixture.Hub.CreateHttpClient();
        var text = await Eventually.Until(() => http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct),
            t => t.Contains(HubMetricNames.Prometheus(HubMetricNames.Ready) + " 1", StringComparison.Ordinal), "the ready gauge reports 1", TimeSpan.FromSeconds(60));
        return [.. text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SeriesName().Match(l).Value)];
    }

    private static string DeployFile(string relative) => File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", relative));

    /// <summary>Every query of the dashboard: panel targets' expr, and the metric of each templating variable's label_values().</summary>
    private static IEnumerable<string> DashboardQueries()
    {
        using var doc = JsonDocument.Parse(DeployFile("grafana/onestop.json"));
        var found = new List<string>();
        Walk(doc.RootElement);
        return found;

        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name is "expr" or "query" && p.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(p.Value.GetString()!);
                    }

                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }
    }

    private static IEnumerable<string> AlertQueries() => AlertRules().Values.Select(r => r.Expr);

    private static Dictionary<string, (string Expr, string? For)> AlertRules()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(DeployFile("prometheus/alerts.yml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var rules = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                var forValue = rule.Children.TryGetValue(new YamlScalarNode("for"), out var f) ? ((YamlScalarNode)f).Value : null;
                rules.Add(((YamlScalarNode)rule["alert"]).Value!, (((YamlScalarNode)rule["expr"]).Value!, forValue));
            }
        }

        return rules;
    }

    /// <summary>The metric names in a PromQL expression (label matchers, ranges, grouping clauses and functions taken out).</summary>
    internal static IReadOnlyList<string> MetricsIn(string promql)
    {
        var text = LabelValues().Replace(promql, "$1");
        text = Quoted().Replace(text, "");
        text = Braces().Replace(text, "");
        text = Brackets().Replace(text, "");
        text = Grouping().Replace(text, "");
        return [.. Identifier().Matches(text).Where(m => !Keywords.Contains(m.Value)).Select(m => m.Value).Distinct()];
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "group_left", "group_right" };

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,[^)]*\)")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>An identifier not preceded by a digit or dot (so 1e9 is no metric) and not followed by '(' (a function).</summary>
    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:])(?!\s*\()")]
    private static partial Regex Identifier();
}
