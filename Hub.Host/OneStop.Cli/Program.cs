using System.CommandLine;
using OneStop.Cli.Commands;

namespace OneStop.Cli;

/// <summary>
/// <c>onestop</c>: tools for the people who run and integrate the hub. Each command group lives in its own file
/// under Commands/ and is added here; nothing else belongs in this file.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>The command tree: one line per command group.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("OneStop hub tools");
        root.Subcommands.Add(MappingsCommands.Create());
        root.Subcommands.Add(EvidenceCommands.Create());
        root.Subcommands.Add(ClientCommands.Create());
        root.Subcommands.Add(DossierCommands.Create());
        root.Subcommands.Add(KafkaCommands.Create());
        return root;
    }

    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
}
