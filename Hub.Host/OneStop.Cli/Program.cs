using System.CommandLine;
using OneStop.Cli.Commands;

var root = new RootCommand("OneStop hub command line: evidence (and more groups as they come)");
root.Subcommands.Add(EvidenceCommands.Create());
root.Subcommands.Add(ClientCommands.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
