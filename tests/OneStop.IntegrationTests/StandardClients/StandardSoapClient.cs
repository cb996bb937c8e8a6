using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStop.Testing;

namespace OneStop.IntegrationTests.StandardClients;

/// <summary>What a standard client reported for one call: the reply, a SOAP fault, or a client-side error.</summary>
public sealed record ClientResult(JsonNode? Reply, ClientFault? Fault, string? Error)
{
    public override string ToString() =>
        Error is not null ? "error " + Error : Fault is not null ? Fault.ToString() : "reply " + Reply?.ToJsonString();
}

/// <summary>A SOAP fault as the client read it. <paramref name="FaultCode"/> is without its prefix (<c>Client</c>, <c>Server</c>).</summary>
public sealed record ClientFault(string FaultCode, string? FaultString, string? Code, string? Field, string? Upstream);

/// <summary>
/// A standard SOAP client of another platform run as a real subprocess: Python's zeep (Debian python3-zeep) or PHP's
/// SoapClient (Debian php-cli php-soap). Each builds its calls from the WSDL the hub serves, as a provincial system
/// would; the scripts are in this folder and report each call's reply or fault as JSON.
/// </summary>
public sealed class StandardSoapClient
{
    public static readonly StandardSoapClient Zeep = new("zeep", File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", "zeep_client.py", "apt-get install -y python3-zeep");

    public static readonly StandardSoapClient Php = new("php", "php", "soapclient.php", "apt-get install -y php-cli php-soap");

    public static IReadOnlyDictionary<string, StandardSoapClient> All { get; } = new Dictionary<string, StandardSoapClient> { ["zeep"] = Zeep, ["php"] = Php };

    private readonly string _program;
    private readonly string _script;
    private readonly string _install;

    private StandardSoapClient(string name, string program, string script, string install)
    {
        Name = name;
        _program = program;
        _script = Path.Combine(RepoPaths.Root, "tests", "OneStop.IntegrationTests", "StandardClients", script);
        _install = install;
    }

    public string Name { get; }

    /// <summary>Loads <paramref name="wsdl"/> once and makes every call in order; one result per call.</summary>
    public async Task<IReadOnlyList<ClientResult>> CallAsync(Uri wsdl, string apiKey, IReadOnlyList<(string Operation, JsonObject Arguments)> calls, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wsdl);
        ArgumentNullException.ThrowIfNull(calls);
        var spec = new JsonObject
        {
            ["wsdl"] = wsdl.ToString(),
            ["apiKey"] = apiKey,
            ["calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject { ["operation"] = c.Operation, ["arguments"] = c.Arguments.DeepClone() })]),
        };
        var file = Path.Combine(Path.GetTempPath(), $"onestop-{Name}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, spec.ToJsonString(), ct);
        try
        {
            var start = new ProcessStartInfo(_program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(_script);
            start.ArgumentList.Add(file);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException($"{_program} did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"{Name} is not installed here ({_program}: {e.Message}); .ci/run installs it: {_install}", e);
            }

            using (process)
            {
                // A guard against a hung client, not a timing assertion.
                using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
                guard.CancelAfter(TimeSpan.FromMinutes(3));
                var stdout = process.StandardOutput.ReadToEndAsync(guard.Token);
                var stderr = process.StandardError.ReadToEndAsync(guard.Token);
                try
                {
                    await process.WaitForExitAsync(guard.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }

                var output = await stdout;
                if (process.ExitCode != 0 || output.Length == 0)
                {
                    throw new InvalidOperationException($"{Name} exited with {process.ExitCode}: {await stderr}");
                }

                var results = JsonNode.Parse(output)!["results"]!.AsArray();
                return [.. results.Select(Read)];
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ClientResult Read(JsonNode? node)
    {
        if (node?["error"] is { } error)
        {
            return new ClientResult(null, null, error.GetValue<string>());
        }

        if (node?["fault"] is JsonObject f)
        {
            static string? S(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            var code = S(f["faultcode"]) ?? "";
            return new ClientResult(null, new ClientFault(code[(code.IndexOf(':', StringComparison.Ordinal) + 1)..], S(f["faultstring"]), S(f["Code"]), S(f["Field"]), S(f["Upstream"])), null);
        }

        return new ClientResult(node?["reply"]?.DeepClone(), null, null);
    }

    public override string ToString() => Name;
}
