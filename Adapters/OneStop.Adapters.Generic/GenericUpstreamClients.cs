using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using OneStop.Mappings;

namespace OneStop.Adapters.Generic;

/// <summary>
/// One <see cref="UpstreamClient"/> per version of each upstream definition: its settings come from the file, then
/// from <c>Upstreams:&lt;id&gt;:*</c> in configuration (which wins: addresses and secrets belong to the environment).
/// A changed definition gets a new client and a new resilience pipeline; the old one finishes its calls.
/// </summary>
internal sealed class GenericUpstreamClients : IDisposable
{
    private readonly ConcurrentDictionary<string, UpstreamClient> _clients = new(StringComparer.Ordinal);

    // The client each definition (one version of one file) resolved to, until configuration changes: binding
    // configuration and hashing the settings is work a lookup should not repeat on every call.
    private readonly ConditionalWeakTable<UpstreamDefinition, Resolved> _resolved = [];
    private readonly UpstreamClientFactory _factory;
    private readonly IConfiguration _configuration;
    private readonly IDisposable _reloads;
    private int _configurationVersion;

    public GenericUpstreamClients(UpstreamClientFactory factory, IConfiguration configuration)
    {
        _factory = factory;
        _configuration = configuration;
        _reloads = ChangeToken.OnChange(configuration.GetReloadToken, () => Interlocked.Increment(ref _configurationVersion));
    }

    public UpstreamClient For(UpstreamDefinition definition)
    {
        var version = Volatile.Read(ref _configurationVersion);
        if (_resolved.TryGetValue(definition, out var resolved) && resolved.ConfigurationVersion == version)
        {
            return resolved.Client;
        }

        var options = Options(definition, _configuration);
        var key = $"generic-{definition.Id}-{Stamp(definition, options)}";
        var client = _clients.GetOrAdd(key, k => _factory.Create(definition.Id, options, k));
        _resolved.AddOrUpdate(definition, new Resolved(version, client));
        return client;
    }

    public void Dispose() => _reloads.Dispose();

    private sealed record Resolved(int ConfigurationVersion, UpstreamClient Client);

    /// <summary>The options of <paramref name="definition"/> with configuration laid over them.</summary>
    internal static UpstreamOptions Options(UpstreamDefinition definition, IConfiguration configuration)
    {
        var options = new UpstreamOptions
        {
            BaseUrl = definition.BaseUrl,
            Endpoint = definition.Endpoint,
            Auth = definition.Authentication,
            TokenPath = definition.TokenPath,
            ClientId = definition.ClientId ?? "",
            ClientSecret = definition.ClientSecret ?? "",
        };
        if (definition.AttemptTimeout is { } attempt)
        {
            options.AttemptTimeout = attempt;
        }

        if (definition.TotalTimeout is { } total)
        {
            options.TotalTimeout = total;
        }

        if (definition.MaxRetries is { } retries)
        {
            options.MaxRetries = retries;
        }

        foreach (var (name, value) in definition.Parameters)
        {
            options.Parameters[name] = value;
        }

        configuration.GetSection($"{UpstreamServiceCollectionExtensions.Section}:{definition.Id}").Bind(options);
        return options;
    }

    private static string Stamp(UpstreamDefinition definition, UpstreamOptions o)
    {
        var text = string.Join('\n', definition.ContentHash, o.BaseUrl, o.Endpoint, o.Auth, o.TokenPath, o.ClientId, o.ClientSecret,
            o.AttemptTimeout, o.TotalTimeout, o.MaxRetries, o.RetryDelay, o.BreakerFailureRatio, o.BreakerMinimumThroughput,
            o.BreakerSamplingDuration, o.BreakerBreakDuration, o.MaxConcurrency, o.QueueLimit);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
