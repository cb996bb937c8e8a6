using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Kafka.Tests;

/// <summary>A librdkafka mock cluster shared by a test class (a group join costs seconds; sharing keeps tests quick).</summary>
public sealed class MockCluster : IDisposable
{
    private readonly IAdminClient _owner;

    public MockCluster()
    {
        var config = new AdminClientConfig { SocketNagleDisable = true }; // as the hub's embedded cluster (KafkaCluster)
        config.Set("test.mock.num.brokers", "3");
        _owner = new AdminClientBuilder(config).Build();
        BootstrapServers = string.Join(',', _owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        Cluster = new KafkaCluster(Options.Create(new KafkaOptions { BootstrapServers = BootstrapServers }), new ConfigurationBuilder().Build(), NullLogger<KafkaCluster>.Instance);
    }

    public string BootstrapServers { get; }

    /// <summary>The hub's view of this cluster (configured, not embedded).</summary>
    public KafkaCluster Cluster { get; }

    public void Dispose()
    {
        Cluster.Dispose();
        _owner.Dispose();
    }
}

/// <summary>A folder under the temp directory, deleted at dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "onestop-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
