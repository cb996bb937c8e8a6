using System.Text.Json;
using Confluent.Kafka;
using OneStop.Adapters;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Dossiers.Delivery;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Kafka.Internal;

/// <summary>
/// The dossier log on Kafka: an idempotent producer with acks=all, keyed by ma_ho_so. An accepted event's id goes
/// into the compacted dossier index (version = its log offset) before ingest answers, so a republished
/// (client, client_event_id) is recognised without an in-memory set of every id.
/// </summary>
internal sealed class KafkaDossierEventLog : IDossierEventLog
{
    private readonly GroupCommitProducer _producer;
    private readonly KafkaTopics _topics;
    private readonly DossierIndex _index;

    private readonly IReadOnlyList<IDeliveryAdapter> _adapters;

    public KafkaDossierEventLog(KafkaCluster cluster, KafkaTopics topics, DossierIndex index, IEnumerable<IDeliveryAdapter> adapters)
    {
        _adapters = [.. adapters];
        _topics = topics;
        _index = index;
        _producer = cluster.Writer;
    }

    public bool Contains(string eventId) => _index.ContainsEvent(eventId);

    public async Task AppendAsync(DossierEvent dossierEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        var record = new DossierLogRecord { Kind = DossierLogRecord.EventKind, Event = dossierEvent };
        var offset = await ProduceAsync(_topics.DossierEvents, dossierEvent.MaHoSo, JsonSerializer.SerializeToUtf8Bytes(record, KafkaJson.Default.DossierLogRecord),
            cancellationToken).ConfigureAwait(false);
        await _index.AddAcceptedAsync(dossierEvent.MaHoSo, Indexed(dossierEvent, offset, _adapters), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The event as the dossier index (and the trail) lists it.</summary>
    public static IndexedEvent Indexed(DossierEvent e, long offset, IReadOnlyList<IDeliveryAdapter> adapters) =>
        new(e.EventId, e.ClientEventId, e.Client, e.TrangThaiHoSo, e.AcceptedAt, [.. adapters.Where(a => !a.Wants(e)).Select(a => a.Destination)], offset);

    public async Task AppendReplayAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = new DossierLogRecord { Kind = DossierLogRecord.ReplayKind, Replay = request };
        await ProduceAsync(_topics.DossierEvents, request.MaHoSo, JsonSerializer.SerializeToUtf8Bytes(record, KafkaJson.Default.DossierLogRecord), cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> ProduceAsync(string topic, string key, byte[] value, CancellationToken cancellationToken)
    {
        try
        {
            var message = new Message<string, byte[]?> { Key = key, Value = value };
            using var activity = KafkaTracing.StartPublish(topic, message);
            var result = await _producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
            return result.Offset.Value;
        }
        catch (ProduceException<string, byte[]?> e)
        {
            throw new HubException(HubErrorKind.Unavailable, $"Kafka did not acknowledge the record ({e.Error.Code}): nothing was accepted, publish again");
        }
    }
}
