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
/// A changed definition gets a new client and a new resilience pipeline; the old one finishes its calls and is
/// disposed (its HTTP connections closed) once its longest call can have ended: its total timeout plus a margin.
/// </summary>
internal sealed class GenericUpstreamClients : IDisposable
{
    /// <summary>How long after its total timeout a superseded client is kept for calls that started on it.</summary>
    internal static readonly TimeSpan RetireMargin = TimeSpan.FromSeconds(30);

    // The client each upstream id uses now, with the key of its settings; a new key for an id retires the old client.
    private readonly Dictionary<string, (string Key, UpstreamClient Client)> _clients = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<UpstreamClient, ITimer> _retiring = new();
    private readonly TimeProvider _time;

    // The client each definition (one version of one file) resolved to, until configuration changes: binding
    // configuration and hashing the settings is work a lookup should not repeat on every call.
    private readonly ConditionalWeakTable<UpstreamDefinition, Resolved> _resolved = [];
    private readonly UpstreamClientFactory _factory;
    private readonly IConfiguration _configuration;
    private readonly IDisposable _reloads;
    private int _configurationVersion;

    public GenericUpstreamClients(UpstreamClientFactory factory, IConfiguration configuration, TimeProvider time)
    {
        _time = time;
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
        UpstreamClient client;
        lock (_gate)
        {
            if (_clients.TryGetValue(definition.Id, out var current) && current.Key == key)
            {
                client = current.Client;
            }
            else
            {
                client = _factory.Create(definition.Id, options, key);
                _clients[definition.Id] = (key, client);
                if (current.Client is { } superseded)
                {
                    Retire(superseded, superseded.Options.TotalTimeout + RetireMargin);
                }
            }
        }

        _resolved.AddOrUpdate(definition, new Resolved(version, client));
        return client;
    }

    /// <summary>Clients in use: one per upstream id called since the start.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Superseded clients kept for the calls that started on them, until their timer disposes them.</summary>
    internal int Retiring => _retiring.Count;

    private void Retire(UpstreamClient client, TimeSpan after)
    {
        // Held here until it fires: an unreferenced timer may be collected before it does.
        var timer = _time.CreateTimer(state =>
        {
            var self = (UpstreamClient)state!;
            if (_retiring.TryRemove(self, out var fired))
            {
                fired.Dispose();
                self.Dispose();
            }
        }, client, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _retiring[client] = timer;
        timer.Change(after, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _reloads.Dispose();
        foreach (var (client, timer) in _retiring)
        {
            timer.Dispose();
            client.Dispose();
        }

        lock (_gate)
        {
            foreach (var (_, client) in _clients.Values)
            {
                client.Dispose();
            }
        }
    }

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
