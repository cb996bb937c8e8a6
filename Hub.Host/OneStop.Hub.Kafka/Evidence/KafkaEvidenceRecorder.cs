using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Kafka.Evidence;

/// <summary>Evidence settings, bound from <c>Evidence</c>.</summary>
public sealed class EvidenceOptions
{
    /// <summary>
    /// This hub instance's chain id. Every instance writes its own chain, so instances never contend for one head;
    /// give each instance a distinct id (the default, the host name, is distinct per machine or container). An
    /// instance that restarts with the same id continues its chain where the topic ends.
    /// </summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9._:-]{1,100}$")]
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>Topic name after <c>Kafka:TopicPrefix</c>: <c>{prefix}.{Topic}</c>.</summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]+$")]
    public string Topic { get; set; } = "evidence";

    /// <summary>How long a read of the whole topic (start-up resume, the evidence endpoint) may take.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The durable evidence recorder: links each exchange into this instance's hash chain and produces it to the
/// evidence topic (key = chain id, so one chain stays in one partition, in order) with acks=all and an
/// idempotent producer. <see cref="RecordAsync"/> links the entry at once (so chain order is call order) and
/// completes when Kafka has it. It never throws: a failed write is logged and counted, and shows up as a gap
/// that verification reports.
/// </summary>
public sealed partial class KafkaEvidenceRecorder : IEvidenceRecorder, IEvidenceStore, IDisposable
{
    private readonly KafkaCluster _cluster;
    private readonly EvidenceOptions _options;
    private readonly ILogger<KafkaEvidenceRecorder> _logger;
    private readonly Lock _gate = new();
    private readonly Counter<long> _written;
    private readonly Counter<long> _failed;
    private IProducer<string, string>? _producer;
    private long _nextSeq;
    private string _head = EvidenceEntry.Genesis;

    // Exchanges recorded before the chain head is restored (other services start first): linked and written, in
    // order, as soon as it is, so starting never leaves a gap in the chain.
    private readonly List<ExchangeRecord> _beforeStart = [];

    public KafkaEvidenceRecorder(KafkaCluster cluster, IOptions<KafkaOptions> kafka, IOptions<EvidenceOptions> options, ILogger<KafkaEvidenceRecorder> logger, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _cluster = cluster;
        _options = options.Value;
        _logger = logger;
        Topic = $"{kafka.Value.TopicPrefix}.{_options.Topic}";
        var meter = meters.Create("OneStop.Hub");
        _written = meter.CreateCounter<long>("onestop.evidence.written", description: "Evidence entries Kafka acknowledged");
        _failed = meter.CreateCounter<long>("onestop.evidence.failed", description: "Evidence entries Kafka did not take (gaps in the chain)");
    }

    public string Topic { get; }

    public string Chain => _options.InstanceId;

    public IReadOnlyList<EvidenceHead> Heads
    {
        get
        {
            lock (_gate)
            {
                return _nextSeq == 0 ? [] : [new EvidenceHead(Chain, _nextSeq - 1, _head)];
            }
        }
    }

    /// <summary>Connects and continues this instance's chain from the last entry in the topic (called once at start).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var last = (await ReadAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(e => e.Chain == Chain).OrderBy(e => e.Seq).LastOrDefault();
        lock (_gate)
        {
            _producer ??= new ProducerBuilder<string, string>(new ProducerConfig(_cluster.ClientConfig())
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                LingerMs = 0, // deliveries await their evidence record: waiting to batch would only add latency
                ClientId = $"onestop-evidence-{Chain}",
            }).Build();
            if (last is not null)
            {
                _nextSeq = last.Seq + 1;
                _head = last.Hash;
            }
        }

        LogStarted(_logger, Chain, Topic, last?.Seq + 1 ?? 0);
        ExchangeRecord[] early;
        lock (_gate)
        {
            early = [.. _beforeStart];
            _beforeStart.Clear();
        }

        foreach (var record in early)
        {
            await RecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        Task<DeliveryResult<string, string>> delivery;
        EvidenceEntry entry;
        lock (_gate)
        {
            if (_producer is null)
            {
                _beforeStart.Add(record);
                return;
            }

            entry = EvidenceEntry.Link(Chain, _nextSeq, _head, record);
            _nextSeq++;
            _head = entry.Hash;

            try
            {
                // Produced under the lock: the producer's queue keeps chain order, and idempotence keeps it on retries.
                delivery = _producer.ProduceAsync(Topic, new Message<string, string> { Key = Chain, Value = Encoding.UTF8.GetString(entry.CanonicalBytes()) }, CancellationToken.None);
            }
            catch (KafkaException e)
            {
                _failed.Add(1);
                LogFailed(_logger, e, entry.Seq, e.Error.Reason);
                return;
            }
        }

        try
        {
            await delivery.ConfigureAwait(false);
            _written.Add(1);
        }
        catch (KafkaException e)
        {
            _failed.Add(1);
            LogFailed(_logger, e, entry.Seq, e.Error.Reason);
        }
    }

    public async Task<IReadOnlyList<EvidenceEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        // Whatever this instance handed to the producer is readable before the read starts.
        _producer?.Flush(_options.ReadTimeout);
        return await Task.Run(() => ReadTopic(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private List<EvidenceEntry> ReadTopic(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.ReadTimeout;
        List<TopicPartition> partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig(_cluster.ClientConfig())).Build())
        {
            var topic = admin.GetMetadata(Topic, _options.ReadTimeout).Topics.SingleOrDefault(t => t.Topic == Topic);
            partitions = topic is null || topic.Error.IsError
                ? []
                : [.. topic.Partitions.Select(p => new TopicPartition(Topic, new Partition(p.PartitionId)))];
        }

        var entries = new List<EvidenceEntry>();
        if (partitions.Count == 0)
        {
            return entries;
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig(_cluster.ClientConfig())
        {
            GroupId = $"onestop-evidence-reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var remaining = new Dictionary<int, long>();
        foreach (var partition in partitions)
        {
            var high = consumer.QueryWatermarkOffsets(partition, _options.ReadTimeout).High.Value;
            if (high > 0)
            {
                remaining[partition.Partition.Value] = high;
            }
        }

        consumer.Assign(partitions.Where(p => remaining.ContainsKey(p.Partition.Value)).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        while (remaining.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {Topic} did not finish within {_options.ReadTimeout}");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is null)
            {
                continue;
            }

            try
            {
                entries.Add(EvidenceEntry.Parse(Encoding.UTF8.GetBytes(result.Message.Value)));
            }
            catch (FormatException)
            {
                LogUnreadable(_logger, result.Partition.Value, result.Offset.Value);
            }

            if (result.Offset.Value + 1 >= remaining.GetValueOrDefault(result.Partition.Value, long.MaxValue))
            {
                remaining.Remove(result.Partition.Value);
            }
        }

        return [.. entries.OrderBy(e => e.Chain, StringComparer.Ordinal).ThenBy(e => e.Seq)];
    }

    public void Dispose()
    {
        // Registered under three service types: the container may call this more than once.
        IProducer<string, string>? producer;
        lock (_gate)
        {
            producer = _producer;
            _producer = null;
        }

        producer?.Flush(TimeSpan.FromSeconds(10));
        producer?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence: chain {Chain} on topic {Topic}, next entry {NextSeq}")]
    private static partial void LogStarted(ILogger logger, string chain, string topic, long nextSeq);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evidence: entry {Seq} was not written to Kafka ({Reason}); the chain has a gap there")]
    private static partial void LogFailed(ILogger logger, Exception exception, long seq, string reason);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: unreadable record in partition {Partition} at offset {Offset}")]
    private static partial void LogUnreadable(ILogger logger, int partition, long offset);
}
