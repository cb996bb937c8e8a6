using OneStop.Adapters;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Hub.Evidence;
using OneStop.Hub.Kafka.Internal;

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

    /// <summary>
    /// Compacted topic (after <c>Kafka:TopicPrefix</c>) holding each chain's last durable head and where it is in
    /// the evidence topic, so a restarting instance resumes without reading the evidence topic.
    /// </summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]+$")]
    public string HeadTopic { get; set; } = "evidence-head";

    /// <summary>How often the durable head is written to <see cref="HeadTopic"/> (when it moved).</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan HeadCheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a read of the whole topic (start-up resume, the evidence endpoint) may take.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The evidence signing key: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, with <c>Password</c>) or a PEM certificate
    /// with its private key (in the same file or <c>KeyPath</c>), ECDSA P-256 or RSA. Give the path through the
    /// environment or a mounted file, never in appsettings. Without it the chain is hash-linked only (no checkpoints).
    /// </summary>
    public SigningKeyOptions SigningKey { get; set; } = new();

    /// <summary>Certificates (PEM or DER files) of earlier signing keys, still published so older checkpoints verify after a rotation.</summary>
    public List<string> PreviousCertificates { get; set; } = [];

    /// <summary>A signed checkpoint after this many entries…</summary>
    [Range(1, 10_000_000)]
    public int CheckpointEvery { get; set; } = 1_000;

    /// <summary>…or after this long, whichever comes first (only when entries were added since the last one).</summary>
    [TimeSpanRange("00:00:00.050", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>RFC 3161 time-stamping authority (HTTP POST, <c>application/timestamp-query</c>); unset: checkpoints are signed but not timestamped.</summary>
    public Uri? TimestampAuthority { get; set; }

    /// <summary>Wait between attempts while the TSA does not answer; checkpoints queue meanwhile.</summary>
    [TimeSpanRange("00:00:00.050", "01:00:00")]
    public TimeSpan TimestampRetry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When the oldest checkpoint still waiting for a timestamp is older than this, the hub refuses new exchanges
    /// until timestamping resumes (X-Road stops after 4 hours without timestamps).
    /// </summary>
    [TimeSpanRange("00:00:01", "30.00:00:00")]
    public TimeSpan MaxUntimestamped { get; set; } = TimeSpan.FromHours(4);
}

/// <summary>Where the evidence signing key is (<c>Evidence:SigningKey</c>).</summary>
public sealed class SigningKeyOptions
{
    public string? Path { get; set; }

    public string? Password { get; set; }

    /// <summary>PEM private key file, when <see cref="Path"/> is a PEM certificate without its key.</summary>
    public string? KeyPath { get; set; }
}

/// <summary>How an instance found its chain head at start: from the head checkpoint (reading only past it) or by a full read.</summary>
public sealed record EvidenceRestore(bool FromCheckpoint, long NextSeq, int EntriesRead, long LastCheckpoint = -1);

/// <summary>
/// The durable evidence recorder: links each exchange into this instance's hash chain and produces it to the
/// evidence topic (key = chain id, so one chain stays in one partition, in order) with acks=all and an
/// idempotent producer. <see cref="RecordAsync"/> completes only when Kafka has acknowledged the record, so an
/// exchange that awaits it before answering is never answered without its evidence, even if the hub is killed.
/// <para>
/// Group commit: callers only enqueue. One writer drains whatever is queued, links each record (serialised once,
/// hashed once) and hands the whole batch to the producer back to back, so concurrent exchanges share Kafka
/// produce requests instead of each paying a round trip and a lock. A record Kafka does not take fails its
/// caller with <see cref="EvidenceNotRecordedException"/> and leaves a gap that verification reports.
/// </para>
/// </summary>
public sealed partial class KafkaEvidenceRecorder : IEvidenceRecorder, IEvidenceStore, IEvidenceAnchor, IDisposable
{
    private const int MaxBatch = 1_000;

    private readonly KafkaCluster _cluster;
    private readonly EvidenceOptions _options;
    private readonly ILogger<KafkaEvidenceRecorder> _logger;
    private readonly Lock _gate = new();
    private readonly Counter<long> _written;
    private readonly Counter<long> _failed;
    private readonly Histogram<int> _batchSize;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IProducer<string, byte[]>? _producer;
    private Task? _writer;
    private long _nextSeq;
    private string _head = EvidenceEntry.Genesis;
    private DurableHead? _durable;
    private DurableHead? _checkpointed;
    private readonly TimeProvider _time;
    private ITimer? _headTimer;
    private ITimer? _checkpointTimer;

    // Checkpoints (written by the writer only): the last one's entry, and exchange entries linked since.
    private readonly EvidenceSigningKey? _key;
    private readonly IReadOnlyList<X509Certificate2> _certificates;
    private long _lastCheckpoint = -1;
    private long _lastCheckpointAtStart = -1;
    private long _sinceCheckpoint;

    // Checkpoints waiting for a timestamp, oldest first (in memory: a restart leaves older ones untimestamped, which verify reports).
    private readonly List<(long Seq, byte[] Signature, DateTimeOffset Made)> _untimestamped = [];
    private readonly SemaphoreSlim _timestampSignal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient? _tsa;
    private Task? _timestamper;

    public KafkaEvidenceRecorder(KafkaCluster cluster, IOptions<KafkaOptions> kafka, IOptions<EvidenceOptions> options, ILogger<KafkaEvidenceRecorder> logger, IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _cluster = cluster;
        _options = options.Value;
        _logger = logger;
        Topic = $"{kafka.Value.TopicPrefix}.{_options.Topic}";
        HeadTopic = $"{kafka.Value.TopicPrefix}.{_options.HeadTopic}";
        var meter = meters.Create("OneStop.Hub");
        _written = meter.CreateCounter<long>("onestop.evidence.written", description: "Evidence entries Kafka acknowledged");
        _failed = meter.CreateCounter<long>("onestop.evidence.failed", description: "Evidence entries Kafka did not take (gaps in the chain)");
        _batchSize = meter.CreateHistogram<int>("onestop.evidence.batch", unit: "{entry}", description: "Entries linked and produced together (group commit)");
        meter.CreateObservableGauge("onestop.evidence.untimestamped", () => UntimestampedCheckpoints, unit: "{checkpoint}", description: "Signed checkpoints waiting for a TSA timestamp");
        meter.CreateObservableGauge("onestop.evidence.refusing", () => Refusal is null ? 0 : 1, description: "1 while the hub refuses exchanges because checkpoints went untimestamped too long");
        var signing = _options.SigningKey;
        if (!string.IsNullOrWhiteSpace(signing.Path))
        {
            _key = EvidenceSigningKey.Load(signing.Path, signing.Password, signing.KeyPath);
        }

        _certificates = [.. (_key is null ? [] : new[] { _key.Certificate }).Concat(_options.PreviousCertificates.Select(LoadCertificate))];
        if (_options.TimestampAuthority is not null)
        {
            _tsa = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    private static X509Certificate2 LoadCertificate(string path) =>
        File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadCertificateFromFile(path);

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate2> Certificates => _certificates;

    /// <inheritdoc />
    public string? CurrentKeyId => _key?.KeyId;

    /// <inheritdoc />
    public int UntimestampedCheckpoints
    {
        get
        {
            lock (_untimestamped)
            {
                return _untimestamped.Count;
            }
        }
    }

    /// <inheritdoc />
    public string? Refusal
    {
        get
        {
            if (_options.TimestampAuthority is null)
            {
                return null;
            }

            DateTimeOffset oldest;
            lock (_untimestamped)
            {
                if (_untimestamped.Count == 0)
                {
                    return null;
                }

                oldest = _untimestamped[0].Made;
            }

            return _time.GetUtcNow() - oldest > _options.MaxUntimestamped
                ? $"evidence has not been timestamped since {oldest:u} (limit {_options.MaxUntimestamped}): the time-stamping authority does not answer"
                : null;
        }
    }

    public string Topic { get; }

    public string HeadTopic { get; }

    /// <summary>How this instance resumed its chain (null until it has).</summary>
    public EvidenceRestore? Restore { get; private set; }

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

    /// <summary>
    /// Connects and continues this instance's chain from its last entry (called once at start). Records made
    /// earlier (services that start first) wait in the queue and are linked, in order, once the head is known.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureWriter();
        return _restored.Task.WaitAsync(cancellationToken);
    }

    public ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var pending = new Pending(record, null);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new EvidenceNotRecordedException("the evidence recorder has stopped: the exchange was not recorded");
        }

        EnsureWriter();
        return new ValueTask(cancellationToken.CanBeCanceled ? pending.Task.WaitAsync(cancellationToken) : pending.Task);
    }

    private void EnsureWriter()
    {
        lock (_gate)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            var (last, restore) = await Task.Run(() => RestoreHead(CancellationToken.None)).ConfigureAwait(false);
            lock (_gate)
            {
                _producer = new ProducerBuilder<string, byte[]>(GroupCommitProducer.WithoutBackgroundPoll(new ProducerConfig(_cluster.ClientConfig())
                {
                    Acks = Acks.All,
                    EnableIdempotence = true,
                    LingerMs = 1, // only for what the writer does not flush at once (head checkpoints)
                    ClientId = $"onestop-evidence-{Chain}",
                })).Build();
                if (last is not null)
                {
                    _nextSeq = last.Seq + 1;
                    _head = last.Hash;
                }

                _lastCheckpoint = restore.LastCheckpoint;
                _sinceCheckpoint = _nextSeq - (_lastCheckpoint + 1);
                _headTimer = _time.CreateTimer(_ => WriteHeadCheckpoint(), null, _options.HeadCheckpointInterval, _options.HeadCheckpointInterval);
                if (_key is not null)
                {
                    _checkpointTimer = _time.CreateTimer(_ => _queue.Writer.TryWrite(new Pending(null, null)), null, _options.CheckpointInterval, _options.CheckpointInterval);
                }

                if (_tsa is not null)
                {
                    _timestamper = Task.Run(TimestampLoopAsync);
                }
            }

            Restore = restore;
            if (_key is null)
            {
                LogUnsigned(_logger);
            }
            else
            {
                LogSigning(_logger, _key.KeyId, _key.Algorithm, _options.CheckpointEvery, _options.CheckpointInterval,
                    _options.TimestampAuthority?.ToString() ?? "none (Evidence:TimestampAuthority not set)");
            }

            LogStarted(_logger, Chain, Topic, _nextSeq, restore.FromCheckpoint ? "the head checkpoint" : "a full read of the topic", restore.EntriesRead);
            _restored.TrySetResult();
        }
        catch (Exception e) when (e is KafkaException or TimeoutException or InvalidOperationException)
        {
            _restored.TrySetException(e);
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var p))
            {
                p.TrySetException(new EvidenceNotRecordedException("the evidence chain could not be resumed: " + e.Message, e));
            }

            return;
        }

        await Task.Factory.StartNew(CommitLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>
    /// Group commit, on its own thread: takes whatever exchanges queued, links and produces them, then flushes —
    /// librdkafka sends at once, ignoring <c>linger.ms</c>, and the call returns when Kafka acknowledged them — while
    /// the next exchanges queue behind. A lone exchange waits one round trip, and under load each round trip carries
    /// everything that arrived during the previous one.
    /// </summary>
    private void CommitLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(64);
        while (GroupCommitProducer.WaitForWork(reader, _producer!))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var p))
            {
                batch.Add(p);
            }

            Produce(batch);
            _batchSize.Record(batch.Count);
            batch.Clear();
            GroupCommitProducer.FlushBatch(_producer!);
        }
    }

    /// <summary>
    /// Links and produces a batch back to back; each caller completes when Kafka acknowledges its record. A signed
    /// checkpoint follows every <see cref="EvidenceOptions.CheckpointEvery"/> exchange entries (and on the interval
    /// timer's tick, when entries were added since the last one).
    /// </summary>
    private void Produce(List<Pending> batch)
    {
        foreach (var pending in batch)
        {
            if (pending.Record is null)
            {
                if (_sinceCheckpoint > 0)
                {
                    Checkpoint();
                }

                continue;
            }

            Append(pending, pending.Record, pending.Proof);
            if (pending.Proof is null)
            {
                _sinceCheckpoint++;
                if (_key is not null && _sinceCheckpoint >= _options.CheckpointEvery)
                {
                    Checkpoint();
                }
            }
        }
    }

    /// <summary>Signs the chain up to its head (the entries since the last checkpoint) and appends the checkpoint entry.</summary>
    private void Checkpoint()
    {
        if (_key is null)
        {
            return;
        }

        long seq;
        string head;
        lock (_gate)
        {
            seq = _nextSeq;
            head = _head;
        }

        var now = _time.GetUtcNow();
        var statement = new CheckpointStatement(Chain, _lastCheckpoint + 1, seq - 1, head, now, _key.KeyId, _key.Algorithm).CanonicalBytes();
        var signature = _key.Sign(statement);
        var proof = new EvidenceProof { Type = "checkpoint", Statement = statement, Signature = signature }.ToJson();
        var record = new ExchangeRecord { Client = "hub", Operation = CheckpointStatement.Operation, Time = now, Outcome = "ok", RequestDigest = ExchangeRecord.Digest(statement) };
        if (Append(new Pending(record, proof), record, proof))
        {
            _lastCheckpoint = seq;
            _sinceCheckpoint = 0;
            if (_tsa is not null)
            {
                lock (_untimestamped)
                {
                    _untimestamped.Add((seq, signature, now));
                }

                _timestampSignal.Release();
            }
        }
    }

    /// <summary>Links one entry after the head and hands it to the producer; false when the producer refused it (nothing linked).</summary>
    private bool Append(Pending pending, ExchangeRecord record, string? proof)
    {
        var producer = _producer!;
        long seq;
        string prev;
        lock (_gate)
        {
            seq = _nextSeq;
            prev = _head;
        }

        var (entry, line) = EvidenceEntry.Link(Chain, seq, prev, record, proof);
        try
        {
            producer.Produce(Topic, new Message<string, byte[]> { Key = Chain, Value = line }, report =>
            {
                if (report.Error.IsError)
                {
                    _failed.Add(1);
                    LogFailed(_logger, null, seq, report.Error.Reason);
                    pending.TrySetException(new EvidenceNotRecordedException($"evidence entry {seq} was not written: {report.Error.Reason}"));
                }
                else
                {
                    _written.Add(1);
                    lock (_gate)
                    {
                        if (_durable is null || seq > _durable.Seq)
                        {
                            var lastCheckpoint = record.Operation == CheckpointStatement.Operation && proof is not null ? seq : _durable?.LastCheckpoint ?? _lastCheckpointAtStart;
                            _durable = new DurableHead(seq, entry.Hash, report.Partition.Value, report.Offset.Value, lastCheckpoint);
                        }
                    }

                    pending.TrySetResult();
                }
            });
        }
        catch (KafkaException e)
        {
            // Not queued: the entry is not linked, so the chain has no gap; only this exchange fails.
            _failed.Add(1);
            LogNotQueued(_logger, e, seq, e.Error.Reason);
            pending.TrySetException(new EvidenceNotRecordedException($"evidence entry {seq} was not queued: {e.Error.Reason}", e));
            return false;
        }

        lock (_gate)
        {
            _nextSeq = seq + 1;
            _head = entry.Hash;
        }

        return true;
    }

    /// <summary>
    /// Asks the TSA for a token over each queued checkpoint's signature, oldest first, and appends it to the chain as a
    /// timestamp entry. While the TSA does not answer, checkpoints queue and the attempt is repeated every
    /// <see cref="EvidenceOptions.TimestampRetry"/>; past <see cref="EvidenceOptions.MaxUntimestamped"/>,
    /// <see cref="Refusal"/> makes the hub refuse new exchanges.
    /// </summary>
    private async Task TimestampLoopAsync()
    {
        var ct = _stopping.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _timestampSignal.WaitAsync(ct).ConfigureAwait(false);
                while (true)
                {
                    // Batched like X-Road: one token for the newest waiting checkpoint anchors every earlier one too,
                    // because its signed head fixes the whole chain before it (a backlog drains in one request).
                    (long Seq, byte[] Signature, DateTimeOffset Made) next;
                    int waiting;
                    lock (_untimestamped)
                    {
                        if (_untimestamped.Count == 0)
                        {
                            break;
                        }

                        waiting = _untimestamped.Count;
                        next = _untimestamped[^1];
                    }

                    var token = await RequestTokenAsync(next.Signature, ct).ConfigureAwait(false);
                    if (token is null)
                    {
                        await Task.Delay(_options.TimestampRetry, _time, ct).ConfigureAwait(false);
                        continue;
                    }

                    lock (_untimestamped)
                    {
                        _untimestamped.RemoveRange(0, waiting);
                    }

                    var proof = new EvidenceProof { Type = "timestamp", Checkpoint = next.Seq, Token = token }.ToJson();
                    var record = new ExchangeRecord
                    {
                        Client = "hub", Operation = EvidenceProof.TimestampOperation, Time = _time.GetUtcNow(), Outcome = "ok",
                        RequestDigest = ExchangeRecord.Digest(next.Signature), Upstream = _options.TimestampAuthority!.Host,
                    };
                    _queue.Writer.TryWrite(new Pending(record, proof));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<byte[]?> RequestTokenAsync(byte[] signature, CancellationToken ct)
    {
        var request = EvidenceProofs.TimestampRequest(signature);
        try
        {
            using var content = new ByteArrayContent(request.Encode());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/timestamp-query");
            using var response = await _tsa!.PostAsync(_options.TimestampAuthority, content, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogTimestampFailed(_logger, _options.TimestampAuthority!.Host, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            return request.ProcessResponse(body, out _).AsSignedCms().Encode();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or CryptographicException
                                   or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogTimestampFailed(_logger, _options.TimestampAuthority!.Host, e.GetType().Name + ": " + e.Message);
            return null;
        }
    }

    /// <summary>
    /// Writes the last durable head (entry, partition, offset) to the compacted head topic, keyed by chain, when it
    /// moved. Called by a timer and at stop; not awaited by any exchange.
    /// </summary>
    private void WriteHeadCheckpoint()
    {
        DurableHead? head;
        IProducer<string, byte[]>? producer;
        lock (_gate)
        {
            head = _durable;
            producer = _producer;
            if (head is null || producer is null || head == _checkpointed)
            {
                return;
            }

            _checkpointed = head;
        }

        try
        {
            producer.Produce(HeadTopic, new Message<string, byte[]> { Key = Chain, Value = JsonSerializer.SerializeToUtf8Bytes(head, HeadJson.Default.DurableHead) },
                report =>
                {
                    if (report.Error.IsError)
                    {
                        LogHeadFailed(_logger, head.Seq, report.Error.Reason);
                    }
                });
        }
        catch (KafkaException e)
        {
            LogHeadFailed(_logger, head.Seq, e.Error.Reason);
        }
    }

    /// <summary>
    /// Finds this chain's last durable entry: the head checkpoint says where it was a moment ago, and the evidence
    /// partition is read forward from there to its end (what was written after the last checkpoint, at most one
    /// checkpoint interval's worth, or a crash's). Without a checkpoint (first start, or a cluster without the head
    /// topic) the whole evidence topic is read once.
    /// </summary>
    private (EvidenceHead? Last, EvidenceRestore Restore) RestoreHead(CancellationToken cancellationToken)
    {
        var checkpoint = ReadHeadCheckpoint(cancellationToken);
        if (checkpoint is not null)
        {
            EvidenceHead? last = null;
            var read = 0;
            var confirmed = false;
            var lastCheckpoint = checkpoint.LastCheckpoint;
            ReadPartition(Topic, checkpoint.Partition, checkpoint.Offset, cancellationToken, (offset, key, value) =>
            {
                if (key != Chain)
                {
                    return;
                }

                read++;
                EvidenceEntry entry;
                try
                {
                    entry = EvidenceEntry.Parse(value);
                }
                catch (FormatException)
                {
                    LogUnreadable(_logger, checkpoint.Partition, offset);
                    return;
                }

                if (offset == checkpoint.Offset && entry.Seq == checkpoint.Seq && entry.Hash == checkpoint.Hash)
                {
                    confirmed = true;
                }

                if (last is null || entry.Seq > last.Seq)
                {
                    last = new EvidenceHead(Chain, entry.Seq, entry.Hash);
                }

                if (entry.Operation == CheckpointStatement.Operation && entry.Seq > lastCheckpoint)
                {
                    lastCheckpoint = entry.Seq;
                }
            });

            if (confirmed && last is not null && last.Seq >= checkpoint.Seq)
            {
                _lastCheckpointAtStart = lastCheckpoint;
                return (last, new EvidenceRestore(true, last.Seq + 1, read, lastCheckpoint));
            }

            LogCheckpointMismatch(_logger, Chain, checkpoint.Seq, checkpoint.Partition, checkpoint.Offset);
        }

        var all = ReadTopic(cancellationToken).Where(e => e.Chain == Chain).ToList();
        var tail = all.Count == 0 ? null : all.MaxBy(e => e.Seq)!;
        _lastCheckpointAtStart = all.Where(e => e.Operation == CheckpointStatement.Operation).Select(e => e.Seq).DefaultIfEmpty(-1).Max();
        return (tail is null ? null : new EvidenceHead(Chain, tail.Seq, tail.Hash), new EvidenceRestore(false, tail?.Seq + 1 ?? 0, all.Count, _lastCheckpointAtStart));
    }

    /// <summary>
    /// This chain's latest head checkpoint. The head topic is compacted (one record per chain); only the last
    /// <see cref="HeadTail"/> records of each partition are read first, the rest only when the chain is not among them.
    /// </summary>
    private DurableHead? ReadHeadCheckpoint(CancellationToken cancellationToken)
    {
        DurableHead? found = null;
        foreach (var (partition, low, high) in Partitions(HeadTopic))
        {
            var from = Math.Max(low, high - HeadTail);
            void Take(long offset, string? key, byte[] value)
            {
                if (key != Chain)
                {
                    return;
                }

                try
                {
                    found = JsonSerializer.Deserialize(value, HeadJson.Default.DurableHead) ?? found;
                }
                catch (JsonException)
                {
                    LogUnreadable(_logger, partition, offset);
                }
            }

            ReadPartition(HeadTopic, partition, from, cancellationToken, Take, high);
            if (found is null && from > low)
            {
                ReadPartition(HeadTopic, partition, low, cancellationToken, Take, from);
            }

            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private const int HeadTail = 1_000;

    /// <summary>Partitions of <paramref name="topic"/> with their low and high watermarks (none when it does not exist).</summary>
    private List<(int Partition, long Low, long High)> Partitions(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(_cluster.ClientConfig())).Build();
        var metadata = admin.GetMetadata(topic, _options.ReadTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError)
        {
            return [];
        }

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(_cluster.ConsumerConfig()) { GroupId = "onestop-evidence-watermarks" }).Build();
        return [.. metadata.Partitions.Select(p =>
        {
            var w = consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(p.PartitionId)), _options.ReadTimeout);
            return (p.PartitionId, w.Low.Value, w.High.Value);
        })];
    }

    /// <summary>Reads one partition from <paramref name="from"/> to its end as it is now (or to <paramref name="until"/>).</summary>
    private void ReadPartition(string topic, int partition, long from, CancellationToken cancellationToken, Action<long, string?, byte[]> take, long? until = null)
    {
        var tp = new TopicPartition(topic, new Partition(partition));
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(_cluster.ConsumerConfig())
        {
            GroupId = $"onestop-evidence-reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var end = until ?? consumer.QueryWatermarkOffsets(tp, _options.ReadTimeout).High.Value;
        if (from >= end)
        {
            return;
        }

        var deadline = DateTime.UtcNow + _options.ReadTimeout;
        consumer.Assign(new TopicPartitionOffset(tp, new Offset(from)));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {topic} partition {partition} did not finish within {_options.ReadTimeout}");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is null)
            {
                continue;
            }

            take(result.Offset.Value, result.Message.Key, result.Message.Value);
            if (result.Offset.Value + 1 >= end)
            {
                return;
            }
        }
    }

    /// <summary>The last entry Kafka acknowledged, and where it is.</summary>
    internal sealed record DurableHead(long Seq, string Hash, int Partition, long Offset, long LastCheckpoint = -1);

    /// <summary>A record to link (with a proof for the chain's own entries), or, with no record, a checkpoint tick.</summary>
    private sealed class Pending(ExchangeRecord? record, string? proof) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public ExchangeRecord? Record { get; } = record;

        public string? Proof { get; } = proof;
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

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(_cluster.ConsumerConfig())
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
                entries.Add(EvidenceEntry.Parse(result.Message.Value));
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
        // Registered under several service types: the container may call this more than once.
        _checkpointTimer?.Dispose();
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        _timestamper?.Wait(TimeSpan.FromSeconds(5));
        _queue.Writer.TryComplete();
        Task? writer;
        lock (_gate)
        {
            writer = _writer;
        }

        writer?.Wait(TimeSpan.FromSeconds(10));
        IProducer<string, byte[]>? producer;
        lock (_gate)
        {
            producer = _producer;
            _headTimer?.Dispose();
        }

        producer?.Flush(TimeSpan.FromSeconds(10));
        WriteHeadCheckpoint();
        lock (_gate)
        {
            _producer = null;
        }

        producer?.Flush(TimeSpan.FromSeconds(10));
        producer?.Dispose();
        _tsa?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence: chain {Chain} on topic {Topic}, next entry {NextSeq} (resumed from {How}, {EntriesRead} entries read)")]
    private static partial void LogStarted(ILogger logger, string chain, string topic, long nextSeq, string how, int entriesRead);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence: checkpoints signed with key {KeyId} ({Algorithm}) every {Every} entries or {Interval}; time-stamping authority: {Tsa}")]
    private static partial void LogSigning(ILogger logger, string keyId, string algorithm, int every, TimeSpan interval, string tsa);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: no Evidence:SigningKey:Path, so the chain is hash-linked but not signed: a wholesale rewrite of the topic would not be detected")]
    private static partial void LogUnsigned(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: head checkpoint of chain {Chain} (entry {Seq} at partition {Partition} offset {Offset}) does not match the evidence topic; reading the whole topic")]
    private static partial void LogCheckpointMismatch(ILogger logger, string chain, long seq, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: the time-stamping authority at {Host} did not give a token ({Reason}); checkpoints wait and it is asked again")]
    private static partial void LogTimestampFailed(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: head checkpoint at entry {Seq} was not written ({Reason}); the next one will be")]
    private static partial void LogHeadFailed(ILogger logger, long seq, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evidence: entry {Seq} was not written to Kafka ({Reason}); the chain has a gap there")]
    private static partial void LogFailed(ILogger logger, Exception? exception, long seq, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evidence: entry {Seq} could not be queued for Kafka ({Reason}); the exchange is refused")]
    private static partial void LogNotQueued(ILogger logger, Exception exception, long seq, string reason);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: unreadable record in partition {Partition} at offset {Offset}")]
    private static partial void LogUnreadable(ILogger logger, int partition, long offset);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KafkaEvidenceRecorder.DurableHead))]
internal sealed partial class HeadJson : JsonSerializerContext;
