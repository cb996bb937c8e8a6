using Microsoft.AspNetCore.Hosting.Server;
using OneStop.Hub.Kafka;

namespace OneStop.Hub.Host.Internal;

/// <summary>Prints, once the host has started, what runs and where: the first thing an operator reads.</summary>
internal sealed partial class StartupReport(
    IHostApplicationLifetime lifetime, IServer server, IConfiguration configuration, KafkaCluster kafka, ILogger<StartupReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var grpc = configuration["Kestrel:Endpoints:Grpc:Url"] ?? "(not configured)";
            var http = configuration["Kestrel:Endpoints:Http:Url"] ?? "(not configured)";
            LogReady(logger, grpc, http, kafka.IsEmbedded ? $"embedded in-memory mock cluster at {kafka.BootstrapServers}" : kafka.BootstrapServers,
                string.Join(", ", server.ListeningAddresses()));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "OneStop hub ready. gRPC (h2c): {Grpc} (onestop.v1 LookupService, GenericLookupService, DossierService, AdminService, MappingAdminService; reflection; grpc.health.v1). HTTP/1.1: {Http} (SOAP /soap/lookup, /soap/generic-lookup, /soap/dossier, WSDL at ?wsdl; /health, /metrics, /admin/evidence). Kafka: {Kafka}. Listening on {Addresses}")]
    private static partial void LogReady(ILogger logger, string grpc, string http, string kafka, string addresses);
}
