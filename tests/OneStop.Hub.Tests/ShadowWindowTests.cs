using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OneStop.Hub.Internal;
using OneStop.Hub.Mappings;
using OneStop.Mappings;
using Shouldly;

namespace OneStop.Hub.Tests;

/// <summary>The shadow window: bounded by count and age per mapping, sealed in memory, empty in a new process.</summary>
public sealed class ShadowWindowTests
{
    private static readonly MappingCatalog Shipped = MappingLoader.LoadFolder(Path.Combine(RepoRoot(), "Mappings", "files"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    private ShadowWindow Window(int maxInputs = 1_000, int minutes = 60) =>
        new(Options.Create(new ShadowOptions { MaxInputs = maxInputs, MaxAge = TimeSpan.FromMinutes(minutes) }), time);

    private static JsonObject Input(int n) => new() { ["ma_so_bhxh"] = $"38200{n:D5}", ["ho_va_ten"] = $"Nguyễn Văn {n}" };

    [Fact]
    public void Every_input_a_mapping_of_an_observed_catalog_is_given_is_kept_and_nothing_else()
    {
        var window = Window();
        var catalog = Shipped.ObservedBy(window);

        Feed(catalog.Get("insurance.request"), Input(1));
        Feed(Shipped.Get("insurance.request"), Input(2)); // the plain catalog (samples, replays) is not observed

        window.Open("insurance.request").Select(i => i.ToJsonString()).ShouldBe([Input(1).ToJsonString()]);
        window.Counts().ShouldBe(new Dictionary<string, int> { ["insurance.request"] = 1 });
        catalog.Digest.ShouldBe(Shipped.Digest);
    }

    [Fact]
    public void A_mapping_keeps_its_last_MaxInputs_inputs_oldest_first()
    {
        var window = Window(maxInputs: 3);
        var mapping = Shipped.ObservedBy(window).Get("insurance.request");
        for (var n = 1; n <= 5; n++)
        {
            Feed(mapping, Input(n));
        }

        window.Open("insurance.request").Select(i => i["ma_so_bhxh"]!.GetValue<string>()).ShouldBe(["3820000003", "3820000004", "3820000005"]);
    }

    [Fact]
    public void An_input_mapped_again_is_kept_once_until_it_leaves_the_window()
    {
        // A delivery retried after a timeout maps the same event again: a shadow run replays traffic, not retries.
        var window = Window(maxInputs: 2);
        var mapping = Shipped.ObservedBy(window).Get("insurance.request");
        Feed(mapping, Input(1));
        Feed(mapping, Input(1));
        Feed(mapping, Input(2));

        window.Open("insurance.request").Select(i => i["ma_so_bhxh"]!.GetValue<string>()).ShouldBe(["3820000001", "3820000002"]);

        Feed(mapping, Input(3)); // input 1 leaves the window by count, so it is kept again when it comes back
        Feed(mapping, Input(1));
        window.Open("insurance.request").Select(i => i["ma_so_bhxh"]!.GetValue<string>()).ShouldBe(["3820000003", "3820000001"]);
    }

    [Fact]
    public void Inputs_older_than_MaxAge_leave_the_window()
    {
        var window = Window(minutes: 60);
        var catalog = Shipped.ObservedBy(window);
        Feed(catalog.Get("insurance.request"), Input(1));
        time.Advance(TimeSpan.FromMinutes(45));
        Feed(catalog.Get("insurance.request"), Input(2));
        time.Advance(TimeSpan.FromMinutes(20));

        window.Open("insurance.request").Select(i => i["ma_so_bhxh"]!.GetValue<string>()).ShouldBe(["3820000002"]);
        time.Advance(TimeSpan.FromMinutes(41));
        window.Counts().ShouldBeEmpty();
    }

    [Fact]
    public void Inputs_are_held_sealed_and_a_new_window_a_restart_holds_none()
    {
        var window = Window();
        Feed(Shipped.ObservedBy(window).Get("insurance.request"), Input(7));

        var held = window.SealedFor("insurance.request").ShouldHaveSingleItem();
        // The window keeps the input's UTF-8 JSON without escaping non-ASCII text (it is only parsed back); sealing adds no bytes.
        var plain = Encoding.UTF8.GetBytes(Input(7).ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        held.Length.ShouldBe(plain.Length);
        held.ShouldNotBe(plain);
        Encoding.UTF8.GetString(held).ShouldNotContain("3820000007");
        Encoding.UTF8.GetString(held).ShouldNotContain("Nguyễn");
        Window().Counts().ShouldBeEmpty();
    }

    [Fact]
    public void MaxInputs_zero_keeps_nothing()
    {
        var window = Window(maxInputs: 0);
        Feed(Shipped.ObservedBy(window).Get("insurance.request"), Input(1));
        window.Counts().ShouldBeEmpty();
    }

    /// <summary>Applies the mapping; whether the input maps does not matter here (the window keeps what the engine was given).</summary>
    private static void Feed(MappingDefinition mapping, JsonObject input)
    {
        try
        {
            mapping.Apply(input);
        }
        catch (MappingException)
        {
            // e.g. a required request id missing: the input was still given to the engine
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneStop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OneStop.sln not found");
    }
}
