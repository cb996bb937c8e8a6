using System.CommandLine;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace OneStop.Cli.Commands;

/// <summary>
/// What the commands that talk to a running hub over gRPC share: the address and key options, the <c>--json</c>
/// switch, and turning a failed call into one line an operator can act on (no stack trace).
/// </summary>
internal static class HubCall
{
    public const string DefaultGrpc = "http://127.0.0.1:5081";
    public const string GrpcVariable = "ONESTOP_GRPC";

    /// <summary>Exit code when the hub cannot be reached or refuses the call.</summary>
    public const int Failed = 1;

    public static Option<Uri> GrpcOption() => new("--grpc")
    {
        Description = $"gRPC address of the hub (default: ${GrpcVariable}, else {DefaultGrpc})",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable(GrpcVariable) is { Length: > 0 } g ? g : DefaultGrpc),
        CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var uri) ? uri : throw new FormatException("--grpc must be an absolute URL"),
    };

    public static Option<string> ApiKeyOption() => new("--api-key")
    {
        Description = $"API key of a client with the admin right (default: ${EvidenceCommands.ApiKeyVariable}, else the demo key)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EvidenceCommands.ApiKeyVariable) is { Length: > 0 } k ? k : "onestop-demo-key",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (proto field names) instead of a table, for scripts" };

    /// <summary>Adds the shared options to <paramref name="command"/> and runs <paramref name="call"/> with a channel to the hub.</summary>
    public static void SetAction(Command command, Func<ParseResult, GrpcChannel, Metadata, CancellationToken, Task<int>> call)
    {
        var grpc = GrpcOption();
        var key = ApiKeyOption();
        command.Options.Add(grpc);
        command.Options.Add(key);
        command.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(grpc)!;
            using var channel = GrpcChannel.ForAddress(address);
            var headers = new Metadata { { "x-api-key", parse.GetValue(key)! } };
            try
            {
                return await call(parse, channel, headers, ct).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(Describe(e, address)).ConfigureAwait(false);
                return Failed;
            }
        });
    }

    /// <summary>One line: the hub's status and message, or why it could not be reached.</summary>
    public static string Describe(RpcException e, Uri address)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.StatusCode == StatusCode.Unavailable && Unreachable(e.Status.DebugException) is { } reason)
        {
            return $"error: cannot reach the hub at {address}: {reason}";
        }

        var detail = string.IsNullOrWhiteSpace(e.Status.Detail) ? "" : $": {e.Status.Detail}";
        return $"error: the hub refused: {Name(e.StatusCode)}{detail}";
    }

    private static string? Unreachable(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException s)
            {
                return s.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused (is it running, and is this its gRPC port?)",
                    SocketError.HostNotFound => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    _ => s.Message,
                };
            }

            if (x is HttpRequestException h && x.InnerException is null)
            {
                return h.Message;
            }
        }

        return null;
    }

    private static string Name(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        _ => code.ToString().ToUpperInvariant(),
    };

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true).WithIndentation());

    public static string ToJson(IMessage message) => Json.Format(message);

    /// <summary>Writes rows as a table: columns as wide as their widest cell, the header first.</summary>
    public static async Task WriteTableAsync(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]));
            await output.WriteLineAsync(string.Join("  ", cells).TrimEnd()).ConfigureAwait(false);
        }
    }
}
