namespace OneStop.Hub.Kafka.State;

/// <summary>Where this instance keeps its local state store: bound from <c>State</c>.</summary>
public sealed class StateOptions
{
    /// <summary>
    /// Folder of the local RocksDB store (a rebuildable cache of the compacted state topics, with the offsets
    /// applied). Empty: <c>{temp}/onestop-state/{Kafka:TopicPrefix}-{Evidence:InstanceId}</c> for a real cluster, and
    /// a fresh temporary folder, deleted at stop, for the embedded in-memory cluster. Two instances must not share a
    /// folder (the store is locked while open). Deleting the folder is safe: the store is rebuilt from the topics.
    /// </summary>
    public string? Path { get; set; }
}

/// <summary>A state table to materialise: its name and the compacted topic that holds it.</summary>
public sealed record StateTableRegistration(string Name, Func<KafkaTopics, string> Topic);
