using Microsoft.Extensions.DependencyInjection;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Testing;
using PuppeteerSharp;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The operator console in a real browser: headless Chromium (Debian's <c>chromium</c>, installed by .ci/run)
/// driven by PuppeteerSharp against the running hub.
/// </summary>
[Collection(OperatorCollection.Name)]
public sealed class ConsoleTests(OperatorFixture fixture) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private IBrowser _browser = null!;
    private IPage _page = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: install the Debian package chromium (.ci/run does)");
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions { Headless = true, ExecutablePath = Chromium, Args = ["--no-sandbox"] });
        _page = await _browser.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _page.CloseAsync();
        await _browser.CloseAsync();
        _browser.Dispose();
    }

    private string Url(string path) => new Uri(fixture.Hub.HttpAddress, path).ToString();

    private async Task Go(string path) => await _page.GoToAsync(Url(path), WaitUntilNavigation.Load);

    private async Task ClickAndWait(string selector) =>
        await Task.WhenAll(_page.WaitForNavigationAsync(new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load] }), _page.ClickAsync(selector));

    private Task<string> Text(string selector) => _page.EvaluateFunctionAsync<string>("s => document.querySelector(s)?.innerText ?? ''", selector);

    private async Task LogIn(string key)
    {
        await _page.TypeAsync("#apikey", key);
        await ClickAndWait("#login");
    }

    [Fact]
    public async Task Without_the_admin_right_the_console_stays_closed()
    {
        await Go("/console/parked");
        _page.Url.ShouldContain("/console/login");

        await LogIn("onestop-limited-key");
        (await Text("#login-error")).ShouldBe("Hệ thống demo-limited không có quyền quản trị.");
        await Go("/console/parked");
        _page.Url.ShouldContain("/console/login", customMessage: "a refused key leaves no session behind");

        await LogIn("not-a-key");
        (await Text("#login-error")).ShouldBe("Khóa API không đúng.");
    }

    [Fact]
    public async Task Operator_finds_a_parked_dossier_replays_it_after_confirming_and_the_replay_is_evidence()
    {
        var stuck = TestDossierEvents.NewMaHoSo();
        fixture.Alpha.Refuse(stuck);
        await new DossierService.DossierServiceClient(fixture.Hub.Grpc.WithApiKey())
            .PublishEventAsync(DossierRoutingTests.Event(stuck, 2, $"{stuck}/console"), cancellationToken: Ct);

        await Go("/console/parked");
        await LogIn(ClientCalls.DemoKey);
        _page.Url.ShouldEndWith("/console/parked", customMessage: "after signing in the operator lands where they were going");
        var cookie = (await _page.GetCookiesAsync()).Single(c => c.Name == "onestop-console");
        cookie.HttpOnly.ShouldBe(true);
        cookie.Path.ShouldBe("/console");

        // Vietnamese renders as written (title, heading, and the table's own words).
        (await _page.GetTitleAsync()).ShouldBe("Hồ sơ tạm dừng · OneStop");
        (await Text("h1")).ShouldBe("Hồ sơ tạm dừng gửi");

        var row = $"tr[data-ma-ho-so='{stuck}']";
        await Eventually.True(() => { _page.ReloadAsync().GetAwaiter().GetResult(); return Text(row).GetAwaiter().GetResult().Contains("alpha", StringComparison.Ordinal); },
            "the parked dossier shows in the console", Wait, cancellationToken: Ct);
        (await Text(row)).ShouldContain("refuses this dossier");

        // The dossier's trail, per destination.
        await Go($"/console/dossier?ma={Uri.EscapeDataString(stuck)}");
        (await Text("#ma-ho-so")).ShouldBe(stuck);
        (await Text("tr[data-destination='alpha']")).ShouldContain("PARKED");

        // Replay asks first: following the link does nothing yet.
        await Go("/console/parked");
        fixture.Alpha.Accept(stuck);
        await ClickAndWait($"{row} a.replay");
        (await Text("#confirm")).ShouldContain(stuck);
        fixture.Alpha.For(stuck).ShouldBeEmpty("nothing is replayed before the operator confirms");

        await ClickAndWait("#confirm-replay");
        (await Text("#message")).ShouldStartWith($"Đã yêu cầu gửi lại hồ sơ {stuck} tới alpha");
        await Eventually.True(() => fixture.Alpha.For(stuck).Count == 1, "the confirmed replay delivers the event", Wait, cancellationToken: Ct);

        var evidence = await fixture.Hub.Services.GetRequiredService<IEvidenceStore>().ReadAllAsync(Ct);
        evidence.ShouldContain(e => e.Operation == "AdminService/ReplayParked" && e.MaHoSo == stuck && e.Client == "demo" && e.Outcome == "requested");
        evidence.ShouldContain(e => e.Operation == "Console/Login" && e.Client == "demo" && e.Outcome == "ok");

        await Go($"/console/dossier?ma={Uri.EscapeDataString(stuck)}");
        await Eventually.True(() => { _page.ReloadAsync().GetAwaiter().GetResult(); return Text("tr[data-destination='alpha']").GetAwaiter().GetResult().Contains("DELIVERED", StringComparison.Ordinal); },
            "the trail shows the replayed event delivered", Wait, cancellationToken: Ct);
        await _page.ScreenshotAsync(Path.Combine(Path.GetTempPath(), "onestop-console-dossier.png"));
    }

    [Fact]
    public async Task Overview_shows_readiness_breakers_and_evidence_and_mappings_show_versions_in_force()
    {
        await new LookupService.LookupServiceClient(fixture.Hub.Grpc.WithApiKey())
            .GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = "2801234564" }, cancellationToken: Ct);
        await Go("/console");
        if (_page.Url.Contains("/console/login", StringComparison.Ordinal))
        {
            await LogIn(ClientCalls.DemoKey);
        }

        (await Text("#readiness")).ShouldContain("kafka");
        (await Text("#breakers")).ShouldContain("business");
        (await Text("#breakers")).ShouldContain("đóng (bình thường)");
        (await Text("#evidence")).ShouldNotBeEmpty();
        await _page.ScreenshotAsync(Path.Combine(Path.GetTempPath(), "onestop-console-overview.png"));

        await Go("/console/mappings");
        (await Text("#mappings")).ShouldContain("population.request");
        (await Text("h1")).ShouldBe("Ánh xạ đang áp dụng");
    }
}
