using System.Text.Json;
using OneStop.Grpc.V1;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary><c>onestop dossier …</c> and <c>onestop mappings status</c> against the running hub, as an operator runs them.</summary>
[Collection(OperatorCollection.Name)]
public sealed class OperatorCliTests(OperatorFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly DossierService.DossierServiceClient _dossiers = new(fixture.Hub.Grpc.WithApiKey());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (int Exit, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = OneStop.Cli.Program.Run([.. args, "--grpc", fixture.Hub.GrpcAddress.ToString()], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Trail_parked_and_replay_show_and_release_a_parked_dossier()
    {
        var stuck = TestDossierEvents.NewMaHoSo();
        fixture.Alpha.Refuse(stuck);
        await _dossiers.PublishEventAsync(DossierRoutingTests.Event(stuck, 2, $"{stuck}/2"), cancellationToken: Ct);

        await Eventually.True(() => Cli("dossier", "parked", "--destination", "alpha").Output.Contains(stuck, StringComparison.Ordinal),
            "the CLI lists the refused dossier as parked", Wait, cancellationToken: Ct);
        var (exit, table, _) = Cli("dossier", "parked", "--destination", "alpha");
        exit.ShouldBe(0);
        table.ShouldStartWith("DESTINATION");
        table.Split('\n').Single(l => l.Contains(stuck, StringComparison.Ordinal)).ShouldContain("refuses this dossier");

        var (_, json, _) = Cli("dossier", "parked", "--json");
        using (var doc = JsonDocument.Parse(json))
        {
            var parked = doc.RootElement.GetProperty("parked").EnumerateArray().Single(p => p.GetProperty("ma_ho_so").GetString() == stuck);
            parked.GetProperty("destination").GetString().ShouldBe("alpha");
            parked.GetProperty("event_ids").GetArrayLength().ShouldBe(1);
        }

        var (_, trail, _) = Cli("dossier", "trail", stuck);
        trail.ShouldContain($"dossier {stuck}: 1 event(s)");
        trail.Split('\n').Single(l => l.Contains(" alpha ", StringComparison.Ordinal)).ShouldContain("PARKED");

        fixture.Alpha.Accept(stuck);
        var (replayExit, replayed, _) = Cli("dossier", "replay", "alpha", stuck);
        replayExit.ShouldBe(0);
        replayed.ShouldStartWith("replay requested: ");
        await Eventually.True(() => fixture.Alpha.For(stuck).Count == 1, "the replay delivers the event", Wait, cancellationToken: Ct);
        await Eventually.True(() =>
            {
                using var d = JsonDocument.Parse(Cli("dossier", "trail", stuck, "--json").Output);
                return d.RootElement.GetProperty("events")[0].GetProperty("deliveries").EnumerateArray()
                    .Single(x => x.GetProperty("destination").GetString() == "alpha").GetProperty("state").GetString() == "DELIVERED";
            }, "the trail (JSON) shows the event delivered after the replay", Wait, cancellationToken: Ct);
    }

    [Fact]
    public void Trail_of_an_unknown_dossier_is_one_line_naming_NotFound()
    {
        var (exit, output, error) = Cli("dossier", "trail", "000.00.01.H56-200101-9999");
        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.Trim().ShouldBe("error: the hub refused: NOT_FOUND: the hub holds no events for this ma_ho_so");
    }

    [Fact]
    public void Replay_without_the_admin_right_is_refused_in_one_line()
    {
        var (exit, _, error) = Cli("dossier", "replay", "alpha", "000.00.01.H56-200101-9999", "--api-key", "onestop-limited-key");
        exit.ShouldBe(1);
        error.Trim().ShouldStartWith("error: the hub refused: PERMISSION_DENIED");
        error.ShouldNotContain("   at ");
    }

    [Fact]
    public void Mappings_status_shows_the_versions_in_force()
    {
        var (exit, output, _) = Cli("mappings", "status");
        exit.ShouldBe(0);
        output.ShouldContain("population.request");
        output.ShouldContain("last refused: none");

        var (_, json, _) = Cli("mappings", "status", "--json");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("mappings").GetProperty("mappings").EnumerateArray()
            .ShouldContain(m => m.GetProperty("version_tag").GetString()!.StartsWith("emc.request@", StringComparison.Ordinal));
    }
}
