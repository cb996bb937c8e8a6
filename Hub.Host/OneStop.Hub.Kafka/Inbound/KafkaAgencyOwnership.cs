using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Hub.Inbound;

namespace OneStop.Hub.Kafka.Inbound;

/// <summary>
/// One instance per agency at a time: every instance joins the consumer group <c>{prefix}.inbound-pull</c> on the
/// (empty) topic <c>{prefix}.inbound-pull-owners</c>, and pulls only for agencies whose partition
/// (<see cref="AgencyPartitions"/>) the group assigned it. When the group takes a partition away, the revocation
/// waits until the runs holding it have finished, so the next owner never overlaps them. A killed instance's
/// partitions move after <c>Kafka:SessionTimeoutMs</c>.
/// </summary>
internal sealed partial class KafkaAgencyOwnership(
    KafkaCluster cluster, KafkaTopics topics, AgencyPartitions partitions, IOptions<KafkaOptions> options, ILogger<KafkaAgencyOwnership> logger)
    : BackgroundService, IAgencyOwnership
{
    private readonly object _gate = new();
    private readonly HashSet<int> _owned = [];
    private readonly Dictionary<int, int> _running = [];

    /// <summary>Partitions this instance owns now.</summary>
    public IReadOnlyCollection<int> Owned
    {
        get
        {
            lock (_gate)
            {
                return [.. _owned];
            }
        }
    }

    public Task<IDisposable?> TryLeaseAsync(string agency, CancellationToken cancellationToken)
    {
        var partition = AgencyPartitions.Of(agency, partitions.Count(topics.InboundPullOwners));
        lock (_gate)
        {
            if (!_owned.Contains(partition))
            {
                return Task.FromResult<IDisposable?>(null);
            }

            _running[partition] = _running.GetValueOrDefault(partition) + 1;
        }

        return Task.FromResult<IDisposable?>(new Lease(this, partition));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        _ = partitions.Count(topics.InboundPullOwners); // creates the topic before the group subscribes to it
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(cluster.ConsumerConfig())
        {
            GroupId = topics.InboundPullGroup,
            EnableAutoCommit = false,
            SessionTimeoutMs = options.Value.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(500, options.Value.SessionTimeoutMs / 5),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        })
            .SetPartitionsAssignedHandler((_, assigned) =>
            {
                lock (_gate)
                {
                    foreach (var tp in assigned)
                    {
                        _owned.Add(tp.Partition.Value);
                    }
                }

                LogAssigned(string.Join(',', assigned.Select(tp => tp.Partition.Value)));
            })
            .SetPartitionsRevokedHandler((_, revoked) => Release(revoked.Select(tp => tp.Partition.Value)))
            .SetPartitionsLostHandler((_, lost) => Release(lost.Select(tp => tp.Partition.Value)))
            .Build();
        consumer.Subscribe(topics.InboundPullOwners);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException e)
            {
                LogConsumeError(e.Error.Reason);
            }
        }

        consumer.Close();
    }

    /// <summary>Gives partitions up: no new runs start on them, and the rebalance waits for the running ones to end.</summary>
    private void Release(IEnumerable<int> given)
    {
        var list = given.ToList();
        lock (_gate)
        {
            foreach (var p in list)
            {
                _owned.Remove(p);
            }

            while (list.Any(p => _running.GetValueOrDefault(p) > 0))
            {
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(200));
            }
        }

        LogRevoked(string.Join(',', list));
    }

    private void End(int partition)
    {
        lock (_gate)
        {
            _running[partition] = _running.GetValueOrDefault(partition) - 1;
            Monitor.PulseAll(_gate);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound pull: this instance now owns partitions {Partitions}")]
    private partial void LogAssigned(string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound pull: partitions {Partitions} handed over (their runs finished)")]
    private partial void LogRevoked(string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound pull ownership: consume error {Reason}")]
    private partial void LogConsumeError(string reason);

    private sealed class Lease(KafkaAgencyOwnership owner, int partition) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.End(partition);
            }
        }
    }
}
