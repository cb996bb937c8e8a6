using Confluent.Kafka;

namespace OneStop.Testing;

/// <summary>
/// A librdkafka mock cluster owned by the test, so several hub instances (or hub processes) share it and it
/// outlives any of them. It speaks the real Kafka protocol on loopback ports.
/// </summary>
public sealed class TestKafkaCluster : IDisposable
{
    private readonly IAdminClient _owner;

    public TestKafkaCluster(int brokers = 3)
    {
        var config = new AdminClientConfig { SocketNagleDisable = true }; // as the hub's embedded cluster (KafkaCluster)
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new AdminClientBuilder(config).Build();
        BootstrapServers = string.Join(',', _owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    public string BootstrapServers { get; }

    public void Dispose() => _owner.Dispose();
}
