using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Kafka;

/// <summary>
/// Refuses a Kafka configuration that cannot work, naming the setting: no cluster outside a demo, and client settings
/// (<c>Kafka:Client:*</c>) librdkafka rejects. librdkafka itself judges the client settings, by building a producer
/// from them (it connects lazily, so nothing is sent).
/// </summary>
internal sealed class KafkaOptionsValidator(IConfiguration configuration) : IValidateOptions<KafkaOptions>
{
    public const string BootstrapServersRequired =
        "Kafka:BootstrapServers: required (host:port,… of the cluster); the in-memory mock cluster runs only with Demo:Enabled=true";

    /// <summary>Settings the hub sets itself on each client; configuring them would break what the hub relies on.</summary>
    private static readonly string[] Reserved =
    [
        "bootstrap.servers", "metadata.broker.list", "group.id", "client.id", "transactional.id", "enable.idempotence", "acks",
        "enable.auto.commit", "enable.auto.offset.store", "auto.offset.reset", "isolation.level",
    ];

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers) && !DemoMode.IsEnabled(configuration))
        {
            errors.Add(BootstrapServersRequired);
        }

        var topics = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options.Topics, new(options.Topics), topics, validateAllProperties: true);
        errors.AddRange(topics.Select(r => $"{string.Join(", ", r.MemberNames.Select(m => $"Kafka:Topics:{m}"))}: {r.ErrorMessage}"));
        foreach (var key in options.Client.Keys)
        {
            if (Reserved.Contains(key, StringComparer.OrdinalIgnoreCase) || key.StartsWith("test.mock.", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"Kafka:Client:{key}: set by the hub itself{(key is "bootstrap.servers" ? " (use Kafka:BootstrapServers)" : "")}; remove it");
            }
        }

        if (errors.Count == 0 && options.Client.Count > 0)
        {
            try
            {
                using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig(ClientConfig(options.Client, options.BootstrapServers is { Length: > 0 } b ? b : "127.0.0.1:9")))
                    .SetLogHandler((_, _) => { })
                    .Build();
            }
            catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
            {
                errors.Add($"Kafka:Client: librdkafka refused the settings: {OneLine(e.Message)}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static ClientConfig ClientConfig(IReadOnlyDictionary<string, string> client, string bootstrapServers)
    {
        var config = new ClientConfig(client.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)) { BootstrapServers = bootstrapServers };
        return config;
    }

    /// <summary>
    /// <c>Kafka:Client</c> as librdkafka names: <c>Kafka:Client:sasl.password</c> and <c>Kafka:Client:sasl:password</c>
    /// (the form an environment variable <c>Kafka__Client__sasl__password</c> gives) are both <c>sasl.password</c>.
    /// </summary>
    internal static Dictionary<string, string> Flatten(IConfigurationSection client)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in client.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                settings[key.Replace(':', '.')] = value;
            }
        }

        return settings;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
