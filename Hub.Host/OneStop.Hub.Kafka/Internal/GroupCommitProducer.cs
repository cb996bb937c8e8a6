using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// Group commit over one acks=all producer: callers only enqueue; one thread produces everything queued, back to
/// back, and flushes — librdkafka then sends at once instead of waiting out <c>linger.ms</c> — until Kafka has
/// acknowledged it, while the next writes queue behind. A lone write waits one round trip, and under load one request
/// carries everything that arrived during the previous one (the evidence recorder's writer works the same way).
/// Each caller's task completes with its own delivery result, or fails with the <see cref="ProduceException{TKey,byte[]?}"/>
/// that <see cref="IProducer{TKey,byte[]?}.ProduceAsync(string, Message{TKey,byte[]?}, CancellationToken)"/> would throw.
/// Records keep the order they were enqueued in.
/// </summary>
public sealed class GroupCommitProducer : IDisposable
{
    private const int MaxBatch = 1_000;

    private static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(1);

    private readonly IProducer<string, byte[]?> _producer;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private int _disposed;

    /// <param name="config">The producer's settings; <c>linger.ms</c> only matters when a flush found no broker thread ready.</param>
    /// <param name="name">Names the writer thread.</param>
    public GroupCommitProducer(ProducerConfig config, string name)
    {
        _producer = new ProducerBuilder<string, byte[]?>(config).Build();
        _writer = new Thread(CommitLoop) { IsBackground = true, Name = name };
        _writer.Start();
    }

    public Task<DeliveryResult<string, byte[]?>> ProduceAsync(string topic, Message<string, byte[]?> message, CancellationToken cancellationToken) =>
        ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    public Task<DeliveryResult<string, byte[]?>> ProduceAsync(TopicPartition partition, Message<string, byte[]?> message, CancellationToken cancellationToken)
    {
        var pending = new Pending(partition, message);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitProducer));
        }

        return cancellationToken.CanBeCanceled ? pending.Task.WaitAsync(cancellationToken) : pending.Task;
    }

    private void CommitLoop()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            Pending? last = null;
            for (var n = 0; n < MaxBatch && reader.TryRead(out var pending); n++)
            {
                try
                {
                    _producer.Produce(pending.Partition, pending.Message, pending.Report);
                    last = pending;
                }
                catch (ProduceException<string, byte[]?> e)
                {
                    pending.TrySetException(e);
                }
                catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
                {
                    // Refused before it was queued (e.g. the producer is closing): the caller gets what ProduceAsync would throw.
                    pending.TrySetException(new ProduceException<string, byte[]?>(new Error(ErrorCode.Local_Fail, e.Message), new DeliveryResult<string, byte[]?>
                    {
                        Message = pending.Message,
                        TopicPartitionOffset = new TopicPartitionOffset(pending.Partition, Offset.Unset),
                    }, e));
                }
            }

            FlushUntilAcknowledged(_producer, last?.Task);
        }
    }

    /// <summary>
    /// Flushes until <paramref name="last"/> (the last record a group-commit writer produced) is acknowledged, or a
    /// second has passed (a slow cluster then gets the next batch in flight too). Each flush wakes librdkafka's broker
    /// threads with <c>linger.ms</c> overridden and returns once everything is acknowledged or after a millisecond (a
    /// broker thread that had no core yet is woken again).
    /// </summary>
    public static void FlushUntilAcknowledged<TKey, TAny>(IProducer<TKey, TAny> producer, Task? last)
    {
        ArgumentNullException.ThrowIfNull(producer);
        var waited = Stopwatch.StartNew();
        while (last is { IsCompleted: false } && waited.Elapsed < FlushWait)
        {
            producer.Flush(TimeSpan.FromMilliseconds(1));
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _writer.Join(TimeSpan.FromSeconds(10));
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    private sealed class Pending(TopicPartition partition, Message<string, byte[]?> message)
        : TaskCompletionSource<DeliveryResult<string, byte[]?>>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public TopicPartition Partition { get; } = partition;

        public Message<string, byte[]?> Message { get; } = message;

        public void Report(DeliveryReport<string, byte[]?> report)
        {
            if (report.Error.IsError)
            {
                TrySetException(new ProduceException<string, byte[]?>(report.Error, report));
            }
            else
            {
                TrySetResult(report);
            }
        }
    }
}
