using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

public static class EvidenceEndpoints
{
    /// <summary>Operation an auditor needs a right to (an admin operation): <c>EvidenceService/Read</c>.</summary>
    public const string ReadOperation = "EvidenceService/Read";

    /// <summary>
    /// <c>GET /admin/evidence</c> (JSON lines, chain order; filters <c>client</c>, <c>operation</c>, <c>from</c>, <c>to</c>,
    /// <c>ma_ho_so</c>, <c>outcome</c>) and <c>GET /admin/evidence/head</c> (the chain heads this instance wrote), on the
    /// HTTP port, for clients with the admin right <c>EvidenceService/Read</c>. Each read is itself recorded.
    /// </summary>
    public static WebApplication MapOneStopEvidence(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(RefuseWhileUntimestamped);
        app.MapGet("/evidence/certificate", (HttpContext http) =>
        {
            var anchor = http.RequestServices.GetService<IEvidenceAnchor>();
            var wanted = Value(http.Request.Query, "key_id");
            var certificates = (anchor?.Certificates ?? []).Where(c => wanted is null || EvidenceSigningKey.KeyIdOf(c) == wanted).ToList();
            if (certificates.Count == 0)
            {
                return Results.Text(wanted is null ? "this hub signs no evidence checkpoints (no Evidence:SigningKey)" : $"no certificate with key id {wanted}",
                    statusCode: StatusCodes.Status404NotFound);
            }

            return Results.Text(CertificatesPem(certificates, anchor!.CurrentKeyId), "application/x-pem-file");
        });
        app.MapGet("/admin/evidence/head", async (HttpContext http) =>
        {
            if (await Refuse(http, "EvidenceService/ReadHead").ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            var store = http.RequestServices.GetService<IEvidenceStore>();
            if (store is null)
            {
                return Results.Problem("this hub keeps no durable evidence", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var heads = store.Heads;
            await Record(http, "EvidenceService/ReadHead", "ok", null).ConfigureAwait(false);
            return Results.Text(JsonSerializer.Serialize(heads.Select(h => new Dictionary<string, object> { ["chain"] = h.Chain, ["seq"] = h.Seq, ["hash"] = h.Hash })),
                "application/json");
        });

        app.MapGet("/admin/evidence", async (HttpContext http) =>
        {
            if (await Refuse(http, ReadOperation).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            var store = http.RequestServices.GetService<IEvidenceStore>();
            if (store is null)
            {
                return Results.Problem("this hub keeps no durable evidence", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            EvidenceFilter filter;
            try
            {
                filter = ParseFilter(http.Request.Query);
            }
            catch (FormatException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }

            var entries = await store.ReadAllAsync(http.RequestAborted).ConfigureAwait(false);
            await Record(http, ReadOperation, "ok", null).ConfigureAwait(false);
            var lines = entries.Where(filter.Matches).Select(e => System.Text.Encoding.UTF8.GetString(e.CanonicalBytes()));
            return Results.Text(string.Join('\n', lines) + "\n", "application/x-ndjson");
        });
        return app;
    }

    /// <summary>
    /// PEM certificates, each after a line <c>key_id: …</c> (text outside PEM blocks, which PEM readers skip):
    /// the current key's first, then earlier keys'.
    /// </summary>
    public static string CertificatesPem(IEnumerable<X509Certificate2> certificates, string? currentKeyId)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var text = new StringBuilder();
        foreach (var certificate in certificates)
        {
            var keyId = EvidenceSigningKey.KeyIdOf(certificate);
            text.Append("key_id: ").Append(keyId).Append(keyId == currentKeyId ? " (current)" : " (earlier)").Append('\n');
            text.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The evidence signing key and the readiness check of timestamping. In Development, when no
    /// <c>Evidence:SigningKey:Path</c> is configured, a demo key is generated once into a file in the temp folder
    /// (never into appsettings) and used; the log says where.
    /// </summary>
    public static WebApplicationBuilder AddOneStopEvidence(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration["Evidence:SigningKey:Path"]))
        {
            var path = Path.Combine(Path.GetTempPath(), "onestop-dev", "evidence-signing-key.pfx");
            var created = !File.Exists(path);
            if (created)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var key = EvidenceSigningKey.CreateSelfSigned("OneStop hub evidence (Development)", DateTimeOffset.UtcNow);
                File.WriteAllBytes(path, key.Certificate.Export(X509ContentType.Pkcs12));
            }

            builder.Configuration.AddInMemoryCollection([new("Evidence:SigningKey:Path", path)]);
            builder.Services.AddHostedService(sp => new DevelopmentKeyNotice(sp.GetRequiredService<ILogger<DevelopmentKeyNotice>>(), path, created));
        }

        builder.Services.AddHealthChecks().AddCheck<TimestampHealthCheck>("evidence-timestamps");
        return builder;
    }

    /// <summary>
    /// While checkpoints have gone untimestamped past <c>Evidence:MaxUntimestamped</c>, every gRPC and SOAP exchange
    /// (health and reflection excepted) is refused with UNAVAILABLE, and each refusal is recorded.
    /// </summary>
    private static async Task RefuseWhileUntimestamped(HttpContext http, RequestDelegate next)
    {
        var reason = http.RequestServices.GetService<IEvidenceAnchor>()?.Refusal;
        var path = http.Request.Path.Value ?? "";
        var grpc = http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        var soap = path.StartsWith("/soap/", StringComparison.Ordinal) && HttpMethods.IsPost(http.Request.Method);
        if (reason is null || !(grpc || soap) || path.StartsWith("/grpc.", StringComparison.Ordinal))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var operation = grpc ? HubClaims.OperationOfGrpcMethod(path) : "Soap" + path[5..];
        await Record(http, operation, "unavailable", null).ConfigureAwait(false);
        var message = "UNAVAILABLE: " + reason;
        if (grpc)
        {
            http.Response.ContentType = "application/grpc";
            http.Response.Headers["grpc-status"] = "14";
            http.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.ContentType = "text/xml; charset=utf-8";
        await http.Response.WriteAsync(
            "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>"
            + System.Security.SecurityElement.Escape(message) + "</faultstring></soap:Fault></soap:Body></soap:Envelope>", http.RequestAborted).ConfigureAwait(false);
    }

    internal static EvidenceFilter ParseFilter(IQueryCollection query) => new()
    {
        Client = Value(query, "client"),
        Operation = Value(query, "operation"),
        MaHoSo = Value(query, "ma_ho_so"),
        Outcome = Value(query, "outcome"),
        From = Time(query, "from"),
        To = Time(query, "to"),
    };

    private static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.ToString() : null;

    private static DateTimeOffset? Time(IQueryCollection query, string name) =>
        Value(query, name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new FormatException($"{name}: must be an ISO 8601 time");

    private static async Task<IResult?> Refuse(HttpContext http, string operation)
    {
        var client = http.User.FindFirst(HubClaims.ClientId)?.Value;
        if (client is null)
        {
            await Record(http, operation, "unauthenticated", "anonymous").ConfigureAwait(false);
            return Results.Text(http.Items[HubClaims.FailureItem] as string ?? "send an API key with the admin right as x-api-key", statusCode: StatusCodes.Status401Unauthorized);
        }

        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(http.User, operation, HubClaims.OperationPolicy).ConfigureAwait(false)).Succeeded)
        {
            await Record(http, operation, "permission_denied", null).ConfigureAwait(false);
            return Results.Text($"client {client} has no admin right to {operation}", statusCode: StatusCodes.Status403Forbidden);
        }

        return null;
    }

    private static ValueTask Record(HttpContext http, string operation, string outcome, string? client) =>
        http.RequestServices.GetRequiredService<Exchanges>().RecordAsync(new ExchangeRecord
        {
            Client = client ?? http.User.FindFirst(HubClaims.ClientId)?.Value ?? "anonymous",
            Operation = operation,
            Time = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            Outcome = outcome,
            RequestDigest = ExchangeRecord.Digest(http.Request.QueryString.Value ?? ""),
        });
}

/// <summary>Readiness: unhealthy while the hub refuses exchanges for want of timestamps; says how many checkpoints wait.</summary>
internal sealed class TimestampHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var anchor = services.GetService<IEvidenceAnchor>();
        if (anchor is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("no durable evidence"));
        }

        var waiting = anchor.UntimestampedCheckpoints;
        return Task.FromResult(anchor.Refusal is { } reason
            ? HealthCheckResult.Unhealthy($"refusing exchanges: {reason}; {waiting} checkpoint(s) wait for a timestamp")
            : HealthCheckResult.Healthy(anchor.CurrentKeyId is null ? "evidence is hash-chained, not signed" : $"checkpoints signed with key {anchor.CurrentKeyId}; {waiting} wait for a timestamp"));
    }
}

internal sealed partial class DevelopmentKeyNotice(ILogger<DevelopmentKeyNotice> logger, string path, bool created) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogKey(logger, created ? "generated" : "reused", path);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence: Development, so a demo signing key was {How} at {Path} (not in appsettings). Production: set Evidence:SigningKey:Path to the province's key file")]
    private static partial void LogKey(ILogger logger, string how, string path);
}
