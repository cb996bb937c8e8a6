using System.Threading.Channels;
using Confluent.Kafka;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// Group commit over one acks=all producer: callers only enqueue; one thread produces everything queued, back to
/// back, and flushes — librdkafka then sends at once instead of waiting out <c>linger.ms</c> — until Kafka has
/// acknowledged it, while the next writes queue behind. A lone write waits one round trip, and under load one request
/// carries everything that arrived during the previous one (the evidence recorder's writer works the same way).
/// The producer has no background poll thread: the writer's own flush serves the delivery reports, so it returns the
/// moment the last one arrives (with the .NET client's poll thread taking them, a flush only noticed after its timeout).
/// Each caller's task completes with its own delivery result, or fails with the <see cref="ProduceException{TKey,byte[]?}"/>
/// that <see cref="IProducer{TKey,byte[]?}.ProduceAsync(string, Message{TKey,byte[]?}, CancellationToken)"/> would throw.
/// Records keep the order they were enqueued in.
/// </summary>
public sealed class GroupCommitProducer : IDisposable
{
    private const int MaxBatch = 1_000;

    private static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);

    private readonly IProducer<string, byte[]?> _producer;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private int _disposed;

    /// <param name="config">The producer's settings; <c>linger.ms</c> only matters when a flush found no broker thread ready.</param>
    /// <param name="name">Names the writer thread.</param>
    public GroupCommitProducer(ProducerConfig config, string name)
    {
        _producer = new ProducerBuilder<string, byte[]?>(WithoutBackgroundPoll(config)).Build();
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
        while (WaitForWork(reader, _producer))
        {
            for (var n = 0; n < MaxBatch && reader.TryRead(out var pending); n++)
            {
                try
                {
                    _producer.Produce(pending.Partition, pending.Message, pending.Report);
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

            FlushBatch(_producer);
        }
    }

    /// <summary>
    /// A group-commit writer's producer settings: no background poll thread, so that only the writer's flush serves
    /// the delivery reports (and returns as soon as the last arrives).
    /// </summary>
    public static ProducerConfig WithoutBackgroundPoll(ProducerConfig config) => new(config) { EnableBackgroundPoll = false };

    /// <summary>
    /// Waits for the next queued write. While idle it serves the producer's events every 100 ms: delivery reports of
    /// records produced outside a batch (e.g. by a timer), errors and statistics, which no background thread serves.
    /// </summary>
    public static bool WaitForWork<TItem, TKey, TValue>(ChannelReader<TItem> reader, IProducer<TKey, TValue> producer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(producer);
        var wait = reader.WaitToReadAsync();
        if (wait.IsCompleted)
        {
            return wait.GetAwaiter().GetResult();
        }

        var waiting = wait.AsTask();
        while (!waiting.Wait(IdlePoll))
        {
            producer.Poll(TimeSpan.Zero);
        }

        return waiting.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Sends what the writer produced at once (a flush overrides <c>linger.ms</c>) and serves delivery reports until
    /// Kafka acknowledged everything outstanding, or a second has passed (a slow cluster then gets the next batch in
    /// flight too; its records' callers still wait for their own reports).
    /// </summary>
    public static void FlushBatch<TKey, TValue>(IProducer<TKey, TValue> producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        producer.Flush(FlushWait);
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
