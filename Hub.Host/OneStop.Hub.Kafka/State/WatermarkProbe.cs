using Confluent.Kafka;

namespace OneStop.Hub.Kafka.State;

/// <summary>
/// One consumer, never assigned, that the state tables of an instance share to ask where their partitions end. A
/// catch-up (every inbound run catches up eight tables) used to build a client per table and call: its threads, its
/// broker connections and its metadata request, each time.
/// </summary>
internal sealed class WatermarkProbe(KafkaCluster cluster) : IDisposable
{
    private readonly ReaderWriterLockSlim _use = new();
    private readonly Lazy<IConsumer<Ignore, Ignore>> _consumer = new(() => new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(cluster.ConsumerConfig())
    {
        GroupId = "onestop-watermarks",
        EnableAutoCommit = false,
    }).Build());

    private bool _disposed;

    /// <summary>
    /// The offset after the last record of <paramref name="partition"/>. Queries run side by side (librdkafka answers
    /// them from any thread); <see cref="Dispose"/> waits for those under way, since a client destroyed under a running
    /// query would be native use after free.
    /// </summary>
    public long High(TopicPartition partition, TimeSpan timeout)
    {
        _use.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _consumer.Value.QueryWatermarkOffsets(partition, timeout).High.Value;
        }
        finally
        {
            _use.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _use.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_consumer.IsValueCreated)
            {
                _consumer.Value.Dispose();
            }
        }
        finally
        {
            _use.ExitWriteLock();
        }
    }
}
