using Microsoft.Extensions.Options;
using OneStop.Hub.Kafka;
using OneStop.Hub.Kafka.Evidence;
using Shouldly;

namespace OneStop.Deployment.Tests;

public sealed class KafkaTopicsTests
{
    private static KafkaTopics Topics(Action<KafkaOptions>? configure = null, string evidenceTopic = "evidence")
    {
        var options = new KafkaOptions();
        configure?.Invoke(options);
        return new KafkaTopics(Options.Create(options), Options.Create(new EvidenceOptions { Topic = evidenceTopic }));
    }

    private static TopicSpec Spec(KafkaTopics topics, string name) => topics.Specs.Single(s => s.Name == name);

    [Fact]
    public void Every_topic_the_hub_writes_has_a_spec_under_the_prefix()
    {
        var topics = Topics(o => o.TopicPrefix = "lamdong");
        topics.Specs.Select(s => s.Name).ShouldBe(
        [
            "lamdong.dossier-events", "lamdong.delivery-state", "lamdong.dossier-index", "lamdong.evidence", "lamdong.evidence-head",
            "lamdong.inbound", "lamdong.inbound-seen", "lamdong.inbound-pull-cursor", "lamdong.inbound-acks", "lamdong.postal-tracking-cursor",
            "lamdong.inbound-pull-owners", "lamdong.postal-tracking-trail", "lamdong.catalogue-procedures", "lamdong.catalogue-agencies",
            "lamdong.catalogue-meta",
        ], ignoreOrder: true);
        topics.Specs.Select(s => s.Name).ShouldBeUnique();
        topics.Specs.ShouldAllBe(s => s.Purpose.Length > 0);
    }

    [Fact]
    public void State_cursors_indexes_and_checkpoints_are_compacted_and_the_logs_are_kept_for_ever_by_default()
    {
        var topics = Topics();
        string[] compacted =
        [
            topics.DeliveryState, topics.DossierIndex, topics.EvidenceHead, topics.InboundPullOwners,
            topics.InboundTable("inbound-seen"), topics.InboundTable("inbound-pull-cursor"), topics.InboundTable("inbound-acks"),
            topics.InboundTable("postal-tracking-cursor"), topics.InboundTable("postal-tracking-trail"),
            topics.InboundTable("catalogue-procedures"), topics.InboundTable("catalogue-agencies"), topics.InboundTable("catalogue-meta"),
        ];
        foreach (var state in compacted)
        {
            Spec(topics, state).CleanupPolicy.ShouldBe("compact", state);
            Spec(topics, state).Configs["cleanup.policy"].ShouldBe("compact", state);
        }

        topics.Specs.Count.ShouldBe(compacted.Length + 3);
        foreach (var log in new[] { topics.DossierEvents, topics.Evidence, topics.Inbound })
        {
            Spec(topics, log).CleanupPolicy.ShouldBe("delete");
            Spec(topics, log).RetentionMs.ShouldBe(-1);
            Spec(topics, log).Configs["retention.ms"].ShouldBe("-1");
            Spec(topics, log).RetentionText.ShouldBe("forever");
        }
    }

    [Fact]
    public void Log_retention_partitions_and_replication_come_from_settings()
    {
        var topics = Topics(o =>
        {
            o.Topics.EvidenceRetention = TimeSpan.FromDays(3650);
            o.Topics.DossierLogRetention = TimeSpan.FromDays(400);
            o.Topics.Partitions = 24;
            o.Topics.ReplicationFactor = 5;
            o.Topics.MinInsyncReplicas = 3;
        }, evidenceTopic: "audit");
        Spec(topics, "onestop.audit").RetentionMs.ShouldBe(3650L * 24 * 3600 * 1000);
        Spec(topics, topics.DossierEvents).Configs["retention.ms"].ShouldBe((400L * 24 * 3600 * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        topics.Specs.ShouldAllBe(s => s.Partitions == 24 && s.ReplicationFactor == 5 && s.MinInsyncReplicas == 3);
        topics.Specs.ShouldAllBe(s => s.Configs["min.insync.replicas"] == "3");
    }

    [Fact]
    public void A_new_topic_is_one_line_with_the_same_layout()
    {
        var topics = Topics(o => o.Topics.Partitions = 6);
        var cursors = topics.Compacted("onestop.inbound-cursors", "cursor per subscriber");
        cursors.ShouldBe(new TopicSpec("onestop.inbound-cursors", "cursor per subscriber", 6, 3, 2, "compact", -1));
    }

    private static TopicState State(int partitions = 12, int replication = 3, string policy = "delete", string isr = "2", string retention = "-1") =>
        new("t", true, partitions, replication, new Dictionary<string, string> { ["cleanup.policy"] = policy, ["min.insync.replicas"] = isr, ["retention.ms"] = retention });

    [Fact]
    public void A_topic_as_specified_has_no_problem()
    {
        var spec = Topics().Log("t", "a log");
        KafkaTopicAdmin.Compare(spec, State()).ShouldBeEmpty();
        KafkaTopicAdmin.Compare(spec, State(partitions: 48, replication: 4, isr: "3")).ShouldBeEmpty();
        KafkaTopicAdmin.Compare(Topics().Compacted("t", "state"), State(policy: "compact")).ShouldBeEmpty();
        KafkaTopicAdmin.Compare(Topics().Compacted("t", "state"), State(policy: "compact")).ShouldBeEmpty();
    }

    [Fact]
    public void Wrong_cleanup_policy_missing_topic_and_too_few_partitions_are_fatal_and_named()
    {
        var topics = Topics();
        var state = KafkaTopicAdmin.Compare(topics.Compacted("t", "state"), State(policy: "delete")).ShouldHaveSingleItem();
        state.Fatal.ShouldBeTrue();
        state.ToString().ShouldBe("Kafka topic t: cleanup.policy: is delete, must be compact");

        var log = KafkaTopicAdmin.Compare(topics.Log("t", "log"), State(policy: "compact,delete")).ShouldHaveSingleItem();
        log.Setting.ShouldBe("cleanup.policy");
        log.Fatal.ShouldBeTrue();

        var partitions = KafkaTopicAdmin.Compare(topics.Log("t", "log"), State(partitions: 4)).ShouldHaveSingleItem();
        partitions.Fatal.ShouldBeTrue();
        partitions.ToString().ShouldContain("partitions: has 4, needs at least 12 (Kafka:Topics:Partitions)");

        var missing = KafkaTopicAdmin.Compare(topics.Log("t", "log"), new TopicState("t", false, 0, 0, new Dictionary<string, string>())).ShouldHaveSingleItem();
        missing.Fatal.ShouldBeTrue();
        missing.Message.ShouldContain("kafka topics --apply");
    }

    [Fact]
    public void Weaker_replication_and_shorter_retention_are_warnings()
    {
        var problems = KafkaTopicAdmin.Compare(Topics().Log("t", "log"), State(replication: 1, isr: "1", retention: "604800000"));
        problems.Select(p => p.Setting).ShouldBe(["replication.factor", "min.insync.replicas", "retention.ms"]);
        problems.ShouldAllBe(p => !p.Fatal);
    }
}
