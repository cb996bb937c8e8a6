using Microsoft.Extensions.Configuration;
using OneStop.Hub.Kafka;
using Shouldly;

namespace OneStop.Deployment.Tests;

public sealed class KafkaClientSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] settings)
    {
        var configuration = Config(settings);
        var result = new KafkaOptionsValidator(configuration).Validate(null, KafkaOptions.From(configuration));
        return result.Failed ? [.. result.Failures!] : [];
    }

    [Fact]
    public void Client_settings_are_librdkafka_names_whether_dotted_or_nested()
    {
        // The second form is what the environment variable Kafka__Client__sasl__password becomes.
        var options = KafkaOptions.From(Config(("Kafka:Client:security.protocol", "SASL_SSL"), ("Kafka:Client:sasl:password", "s3cret")));
        options.Client.ShouldBe(new Dictionary<string, string> { ["security.protocol"] = "SASL_SSL", ["sasl.password"] = "s3cret" }, ignoreOrder: true);
    }

    [Fact]
    public void Sasl_ssl_settings_pass_the_start_check()
    {
        Errors(
            ("Kafka:BootstrapServers", "kafka-1.example:9093"),
            ("Kafka:Client:security.protocol", "SASL_SSL"),
            ("Kafka:Client:sasl.mechanism", "SCRAM-SHA-512"),
            ("Kafka:Client:sasl.username", "onestop-hub"),
            ("Kafka:Client:sasl.password", "s3cret"),
            ("Kafka:Client:ssl.endpoint.identification.algorithm", "https")).ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_client_setting_stops_the_start_naming_it()
    {
        var error = Errors(("Kafka:BootstrapServers", "kafka:9092"), ("Kafka:Client:sasl.mechanizm", "PLAIN")).ShouldHaveSingleItem();
        error.ShouldStartWith("Kafka:Client: librdkafka refused the settings");
        error.ShouldContain("sasl.mechanizm");
    }

    [Fact]
    public void A_bad_value_stops_the_start_naming_it()
    {
        var error = Errors(("Kafka:BootstrapServers", "kafka:9092"), ("Kafka:Client:security.protocol", "SASL_TLS")).ShouldHaveSingleItem();
        error.ShouldContain("security.protocol");
    }

    [Fact]
    public void A_missing_key_file_for_mtls_stops_the_start()
    {
        var error = Errors(
            ("Kafka:BootstrapServers", "kafka:9093"),
            ("Kafka:Client:security.protocol", "SSL"),
            ("Kafka:Client:ssl.certificate.location", "/nonexistent/hub.crt"),
            ("Kafka:Client:ssl.key.location", "/nonexistent/hub.key")).ShouldHaveSingleItem();
        error.ShouldStartWith("Kafka:Client: librdkafka refused the settings");
    }

    [Fact]
    public void Settings_the_hub_sets_itself_are_refused()
    {
        Errors(("Kafka:BootstrapServers", "kafka:9092"), ("Kafka:Client:bootstrap.servers", "other:9092"), ("Kafka:Client:enable.idempotence", "false"))
            .ShouldBe([
                "Kafka:Client:bootstrap.servers: set by the hub itself (use Kafka:BootstrapServers); remove it",
                "Kafka:Client:enable.idempotence: set by the hub itself; remove it",
            ], ignoreOrder: true);
    }

    [Fact]
    public void Without_a_cluster_only_a_demo_may_start_the_in_memory_one()
    {
        Errors().ShouldBe([KafkaOptionsValidator.BootstrapServersRequired]);
        Errors(("Demo:Enabled", "true")).ShouldBeEmpty();
        Errors(("Demo:Enabled", "false")).ShouldBe([KafkaOptionsValidator.BootstrapServersRequired]);
    }

    [Fact]
    public void Topic_layout_is_validated_naming_the_setting()
    {
        Errors(("Kafka:BootstrapServers", "kafka:9092"), ("Kafka:Topics:Partitions", "0")).ShouldHaveSingleItem().ShouldStartWith("Kafka:Topics:Partitions: ");
    }
}
