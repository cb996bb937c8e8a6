using System.Diagnostics;
using OneStop.Testing;
using Shouldly;

namespace OneStop.Deployment.Tests;

/// <summary>The host as an operator starts it (its own process, Production), with settings that cannot work.</summary>
public sealed class ConfigurationErrorTests
{
    private static async Task<(int Exit, string[] Errors, string Output)> StartHost(IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet", [HubProcess.HostAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HubProcess.HostAssembly)!,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
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
}
