using System.CommandLine;
using OneStop.Hub.Security;

namespace OneStop.Cli.Commands;

/// <summary><c>clients new-key | hash-key | new-secret | hash-secret</c>: API keys and client secrets for <c>Security:Clients</c>, which stores only their hashes.</summary>
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

        var newSecret = new Command("new-secret", "Make a random 256-bit OAuth2 client secret (POST /token); print it (give it to the client) and its hash (put it in Security:Clients:<id>:ClientSecretHash)");
        newSecret.SetAction(async (result, _) =>
        {
            var secret = ApiKeys.NewKey();
            await result.InvocationConfiguration.Output.WriteLineAsync($"secret: {secret}").ConfigureAwait(false);
            await result.InvocationConfiguration.Output.WriteLineAsync($"hash:   {ApiKeys.Hash(secret)}").ConfigureAwait(false);
            return 0;
        });

        var secretArgument = new Argument<string>("secret") { Description = "The client secret to hash" };
        var hashSecret = new Command("hash-secret", "Print the ClientSecretHash value for an existing client secret");
        hashSecret.Arguments.Add(secretArgument);
        hashSecret.SetAction(async (result, _) =>
        {
            await result.InvocationConfiguration.Output.WriteLineAsync(ApiKeys.Hash(result.GetValue(secretArgument)!)).ConfigureAwait(false);
            return 0;
        });

        var group = new Command("clients", "API keys and OAuth2 client secrets of the provincial systems that call the hub");
        group.Subcommands.Add(newKey);
        group.Subcommands.Add(hashKey);
        group.Subcommands.Add(newSecret);
        group.Subcommands.Add(hashSecret);
        return group;
    }
}
