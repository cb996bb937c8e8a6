using System.CommandLine;
using OneStop.Hub.Security;

namespace OneStop.Cli.Commands;

/// <summary><c>clients new-key | hash-key</c>: API keys for <c>Security:Clients</c>, which stores only their hashes.</summary>
public static class ClientCommands
{
    public static Command Create()
    {
        var newKey = new Command("new-key", "Make a random 256-bit API key; print it (give it to the client) and its hash (put it in Security:Clients:<id>:ApiKeyHash)");
        newKey.SetAction(async (result, _) =>
        {
            var key = ApiKeys.NewKey();
            await result.InvocationConfiguration.Output.WriteLineAsync($"key:  {key}").ConfigureAwait(false);
            await result.InvocationConfiguration.Output.WriteLineAsync($"hash: {ApiKeys.Hash(key)}").ConfigureAwait(false);
            return 0;
        });

        var keyArgument = new Argument<string>("key") { Description = "The API key to hash" };
        var hashKey = new Command("hash-key", "Print the ApiKeyHash value for an existing key");
        hashKey.Arguments.Add(keyArgument);
        hashKey.SetAction(async (result, _) =>
        {
            await result.InvocationConfiguration.Output.WriteLineAsync(ApiKeys.Hash(result.GetValue(keyArgument)!)).ConfigureAwait(false);
            return 0;
        });

        var group = new Command("clients", "API keys of the provincial systems that call the hub");
        group.Subcommands.Add(newKey);
        group.Subcommands.Add(hashKey);
        return group;
    }
}
