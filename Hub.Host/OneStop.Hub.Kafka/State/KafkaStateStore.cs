using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Hub.Kafka.Evidence;
using OneStop.Hub.Kafka.Internal;
using OneStop.Hub.State;

namespace OneStop.Hub.Kafka.State;

/// <summary>
/// This instance's state tables: one local RocksDB store holding every registered table, each materialised from
/// its compacted topic and resumed from its checkpoint. Start-up waits until every table has read its log up to
/// where the log ended, so the hub never answers from a table that is behind its own earlier writes.
/// </summary>
public sealed partial class KafkaStateStore : IStateStore, IHostedService, IDisposable
{
    private readonly RocksStateFiles _files;
    private readonly WatermarkProbe _probe;
    private readonly Dictionary<string, KafkaStateTable> _tables;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string? _deleteOnDispose;
    private readonly ILogger<KafkaStateStore> _logger;
    private int _disposed;

    public KafkaStateStore(
        KafkaCluster cluster, KafkaTopics topics, IEnumerable<StateTableRegistration> registrations, IOptions<StateOptions> options,
        IOptions<KafkaOptions> kafka, IOptions<EvidenceOptions> evidence, ILogger<KafkaStateStore> logger)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(evidence);
        _logger = logger;
        var path = options.Value.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            if (cluster.IsEmbedded)
            {
                // The embedded cluster forgets everything at stop, so a store kept across runs would describe a log that is gone.
                path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "onestop-state", $"embedded-{Guid.NewGuid():N}");
                _deleteOnDispose = path;
            }
            else
            {
                path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "onestop-state", $"{kafka.Value.TopicPrefix}-{evidence.Value.InstanceId}");
            }
        }

        _files = new RocksStateFiles(path);
        var writer = cluster.Writer;
        _probe = new WatermarkProbe(cluster);
        _tables = registrations.ToDictionary(r => r.Name, r => new KafkaStateTable(r.Name, r.Topic(topics), _files, cluster, writer, _probe, logger), StringComparer.Ordinal);
    }

    /// <summary>Folder of the local store.</summary>
    public string Path => _files.Path;

    public IStateTable Table(string name) =>
        _tables.TryGetValue(name, out var table) ? table : throw new InvalidOperationException($"no state table '{name}' is registered (AddKafkaStateTable)");

    /// <summary>Tables and their problems, for health checks.</summary>
    public IEnumerable<IStateTable> Tables => _tables.Values;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        foreach (var table in _tables.Values)
        {
            table.Start(_stopping.Token);
        }

        await Task.WhenAll(_tables.Values.Select(t => t.Restored)).WaitAsync(cancellationToken).ConfigureAwait(false);
        LogRestored(_tables.Count, Path, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The host can stop twice, or its container dispose the store first: then there is nothing left to stop.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.CompletedTask;
        }

        _stopping.Cancel();
        foreach (var table in _tables.Values)
        {
            table.Join(TimeSpan.FromSeconds(5));
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        foreach (var table in _tables.Values)
        {
            table.Join(TimeSpan.FromSeconds(5));
        }

        _files.Dispose();
        _probe.Dispose();
        _stopping.Dispose();
        if (_deleteOnDispose is not null)
        {
            try
            {
                Directory.Delete(_deleteOnDispose, recursive: true);
            }
            catch (IOException)
            {
                // a temporary folder: the OS cleans it eventually
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "State store: {Tables} tables restored from {Path} in {Milliseconds:F0} ms")]
    private partial void LogRestored(int tables, string path, double milliseconds);
}
