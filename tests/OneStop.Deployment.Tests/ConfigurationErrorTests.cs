using System.Diagnostics;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Deployment.Tests;

/// <summary>The host as an operator starts it (its own process, Production), with settings that cannot work.</summary>
public sealed class ConfigurationErrorTests
{
    private static async Task<(int Exit, string[] Errors, string Output)> StartHost(IReadOnlyDictionary<string, string> settings, string environment = "Production")
    {
        var info = new ProcessStartInfo("dotnet", [HubProcess.HostAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HubProcess.HostAssembly)!,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = environment;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        // Free ports, should a defect let it start.
        info.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{FreePort.Next()}";
        info.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{FreePort.Next()}";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new ShouldAssertException($"the hub did not stop on bad settings:\n{await output}");
        }

        return (process.ExitCode, (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), await output);
    }

    [Fact]
    public async Task Production_without_Kafka_or_upstream_addresses_refuses_to_start_with_one_line_per_setting()
    {
        var (exit, errors, output) = await StartHost(new Dictionary<string, string>());

        exit.ShouldBe(78);
        errors.ShouldContain("configuration error: Kafka:BootstrapServers: required (host:port,… of the cluster); the in-memory mock cluster runs only with Demo:Enabled=true");
        foreach (var upstream in new[] { "population", "business", "insurance", "land", "portal", "emc", "postal" })
        {
            errors.ShouldContain(e => e.StartsWith($"configuration error: Upstreams:{upstream}:BaseUrl: required", StringComparison.Ordinal));
        }

        errors.ShouldAllBe(e => e.StartsWith("configuration error: ", StringComparison.Ordinal));
        (string.Join('\n', errors) + output).ShouldNotContain("   at ");
        (string.Join('\n', errors) + output).ShouldNotContain("Exception");
        output.ShouldNotContain("FAKE");
        output.ShouldNotContain("IN-MEMORY");
    }

    [Fact]
    public async Task Bad_kafka_client_settings_and_topic_layout_are_named()
    {
        var (exit, errors, output) = await StartHost(new Dictionary<string, string>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["Kafka:Topics:ReplicationFactor"] = "0",
            ["Kafka:SessionTimeoutMs"] = "5",
        });

        exit.ShouldBe(78);
        errors.ShouldContain(e => e.StartsWith("configuration error: Kafka:SessionTimeoutMs: ", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("configuration error: Kafka:Topics:ReplicationFactor: ", StringComparison.Ordinal));
        errors.ShouldNotContain(e => e.Contains("Kafka:BootstrapServers", StringComparison.Ordinal));
        (string.Join('\n', errors) + output).ShouldNotContain("   at ");
    }

    [Fact]
    public async Task An_unknown_client_setting_is_refused_by_librdkafka_at_start()
    {
        var (exit, errors, _) = await StartHost(new Dictionary<string, string>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["Kafka:Client:sasl.mechanizm"] = "PLAIN",
        });

        exit.ShouldBe(78);
        errors.ShouldContain(e => e.StartsWith("configuration error: Kafka:Client: librdkafka refused the settings", StringComparison.Ordinal) && e.Contains("sasl.mechanizm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Out_of_range_settings_of_every_section_are_named_by_their_own_path()
    {
        var (exit, errors, output) = await StartHost(new Dictionary<string, string>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["Security:Tokens:Lifetime"] = "00:00:01",
            ["Mappings:Shadow:MaxInputs"] = "-1",
            ["Delivery:MaxConcurrency"] = "0",
            ["Inbound:SubscribeWindow"] = "0",
            ["Evidence:CheckpointEvery"] = "0",
        });

        exit.ShouldBe(78);
        foreach (var setting in new[] { "Security:Tokens:Lifetime", "Mappings:Shadow:MaxInputs", "Delivery:MaxConcurrency", "Inbound:SubscribeWindow", "Evidence:CheckpointEvery" })
        {
            errors.ShouldContain(e => e.StartsWith($"configuration error: {setting}: ", StringComparison.Ordinal), setting);
        }

        (string.Join('\n', errors) + output).ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_port_another_process_holds_is_one_line_naming_the_address()
    {
        await using var systems = await TestSystems.StartAsync();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var held = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var settings = DemoSettings.Under(systems.Settings());
        var state = Path.Combine(Path.GetTempPath(), "onestop-tests", $"state-{Guid.NewGuid():N}");
        settings["State:Path"] = state;
        settings["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{held}";

        var (exit, errors, output) = await StartHost(settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!), environment: "Testing");

        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        exit.ShouldBe(78);
        errors.Where(e => e.StartsWith("configuration error: ", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldStartWith($"configuration error: Kestrel:Endpoints:Grpc:Url: http://127.0.0.1:{held} is in use by another process");
        (string.Join('\n', errors) + output).ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("Inbound:PullInterval", "every minute", "not a valid TimeSpan")]
    [InlineData("Delivery:MaxConcurrency", "many", "not a valid whole number")]
    public async Task A_value_that_does_not_convert_is_one_line_naming_the_setting(string setting, string value, string problem)
    {
        var (exit, errors, output) = await StartHost(new Dictionary<string, string> { ["Kafka:BootstrapServers"] = "127.0.0.1:9", [setting] = value });

        exit.ShouldBe(78);
        errors.ShouldContain(e => e.StartsWith($"configuration error: {setting}: {problem}", StringComparison.Ordinal));
        errors.ShouldAllBe(e => e.StartsWith("configuration error: ", StringComparison.Ordinal));
        (string.Join('\n', errors) + output).ShouldNotContain(value, customMessage: "the value is not echoed");
        (string.Join('\n', errors) + output).ShouldNotContain("   at ");
    }
}
