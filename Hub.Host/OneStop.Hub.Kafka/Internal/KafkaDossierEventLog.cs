using System.Text.Json;
using Confluent.Kafka;
using OneStop.Hub.Dossiers;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// The dossier log on Kafka: an idempotent producer with acks=all, keyed by ma_ho_so. Also writes the
/// delivery-state checkpoints and replay requests, which need the same durability.
/// </summary>
internal sealed class KafkaDossierEventLog : IDossierEventLog, IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly KafkaTopics _topics;
    private readonly DossierProjection _projection;
    private int _disposed;

    public KafkaDossierEventLog(KafkaCluster cluster, KafkaTopics topics, DossierProjection projection)
    {
        _topics = topics;
        _projection = projection;
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig(cluster.ClientConfig())
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 0, // each delivery awaits its checkpoint: waiting to batch would only add latency
            MessageTimeoutMs = 30_000,
        }).Build();
    }

    public bool Contains(string eventId) => _projection.ContainsEvent(eventId);

    public async Task AppendAsync(DossierEvent dossierEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        var record = new DossierLogRecord { Kind = DossierLogRecord.EventKind, Event = dossierEvent };
        await ProduceAsync(_topics.DossierEvents, dossierEvent.MaHoSo, JsonSerializer.SerializeToUtf8Bytes(record, KafkaJson.Default.DossierLogRecord),
            cancellationToken).ConfigureAwait(false);
        _projection.Apply(dossierEvent);
    }

    public Task AppendReplayAsync(ReplayCommand command, CancellationToken cancellationToken)
    {
        var record = new DossierLogRecord { Kind = DossierLogRecord.ReplayKind, Replay = command };
        return ProduceAsync(_topics.DossierEvents, command.MaHoSo, JsonSerializer.SerializeToUtf8Bytes(record, KafkaJson.Default.DossierLogRecord), cancellationToken);
    }

    public async Task WriteStateAsync(DeliveryStateRecord state, CancellationToken cancellationToken)
    {
        await ProduceAsync(_topics.DeliveryState, DeliveryStateRecord.KeyOf(state.Destination, state.MaHoSo),
            JsonSerializer.SerializeToUtf8Bytes(state, KafkaJson.Default.DeliveryStateRecord), cancellationToken).ConfigureAwait(false);
        _projection.Apply(state);
    }

    private async Task ProduceAsync(string topic, string key, byte[] value, CancellationToken cancellationToken)
    {
        try
        {
            await _producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value }, cancellationToken).ConfigureAwait(false);
        }
        catch (ProduceException<string, byte[]> e)
        {
            throw new HubException(HubErrorKind.Unavailable, $"Kafka did not acknowledge the record ({e.Error.Code}): nothing was accepted, publish again");
        }
    }

    // Registered under two service types, so the container disposes it twice.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _producer.Flush(TimeSpan.FromSeconds(5));
            _producer.Dispose();
        }
    }
}
