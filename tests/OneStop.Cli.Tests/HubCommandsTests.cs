using System.Net;
using System.Net.Sockets;
using Shouldly;

namespace OneStop.Cli.Tests;

/// <summary>The commands that call a running hub, when there is no hub: one line naming the address, no stack trace.</summary>
public sealed class HubCommandsTests
{
    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    private static string ClosedAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    [Theory]
    [InlineData("dossier", "trail", "000.00.01.H56-261120-0001")]
    [InlineData("dossier", "parked")]
    [InlineData("dossier", "replay", "emc", "000.00.01.H56-261120-0001")]
    [InlineData("mappings", "status")]
    public void Unreachable_hub_gives_one_line_error_and_exit_1(params string[] args)
    {
        var address = ClosedAddress();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = Program.Run([.. args, "--grpc", address], output, error);

        exit.ShouldBe(1);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, error.ToString());
        lines[0].ShouldStartWith($"error: cannot reach the hub at {address}/: connection refused");
        error.ToString().ShouldNotContain("   at ");
        output.ToString().ShouldBeEmpty();
    }
}
