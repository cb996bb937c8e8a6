using System.Diagnostics;
using System.Text;
using Grpc.Net.Client;

namespace OneStop.Testing;

/// <summary>
/// The hub as a separate OS process (<c>dotnet OneStop.Hub.Host.dll</c> from the host's own build output), with
/// configuration passed as environment variables. <see cref="Kill"/> is SIGKILL: no shutdown code runs, exactly
/// like a crash. The gRPC and HTTP ports stay the same across restarts so clients reconnect.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public HubProcess(IReadOnlyDictionary<string, string?> settings)
    {
        // One local state store for every start of this process, as on a server: a restart resumes from its checkpoint.
        StatePath = Path.Combine(Path.GetTempPath(), "onestop-tests", $"state-{Guid.NewGuid():N}");
        var all = DemoSettings.Under(settings);
        all["State:Path"] = StatePath;
        _settings = all;
        GrpcAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        HttpAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        Grpc = GrpcChannel.ForAddress(GrpcAddress);
    }

    public Uri GrpcAddress { get; }

    /// <summary>Folder of the hub's local state store (kept across restarts, deleted at dispose).</summary>
    public string StatePath { get; }

    public Uri HttpAddress { get; }

    public GrpcChannel Grpc { get; }

    public int Starts { get; private set; }

    /// <summary>The running process's id, or null.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The process's console output so far, at most the newest 4 MB (for a failing test's message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The host's build output, built alongside the tests (same configuration).</summary>
    public static string HostAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release" : "Debug";
            var path = Path.Combine(RepoPaths.Root, "Hub.Host", "OneStop.Hub.Host", "bin", configuration, "net10.0", "OneStop.Hub.Host.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build the host first", path);
        }
    }

    /// <summary>Starts the process and waits until /health answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet", [HostAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostAssembly)!,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Kestrel__Endpoints__Grpc__Url"] = GrpcAddress.ToString().TrimEnd('/');
        info.Environment["Kestrel__Endpoints__Grpc__Protocols"] = "Http2";
        info.Environment["Kestrel__Endpoints__Http__Url"] = HttpAddress.ToString().TrimEnd('/');
        info.Environment["Kestrel__Endpoints__Http__Protocols"] = "Http1";
        foreach (var (key, value) in _settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        using var http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"hub process exited with {process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"hub process not healthy within 60 s:\n{Output}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL: the process dies at once, with no graceful shutdown.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Bounded, keeping the newest: a long run's latest lines (its restarts) are what a test reads.
            if (_output.Length > 4_000_000)
            {
                _output.Remove(0, 2_000_000);
            }

            _output.AppendLine(line);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Grpc.Dispose();
        try
        {
            Directory.Delete(StatePath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
