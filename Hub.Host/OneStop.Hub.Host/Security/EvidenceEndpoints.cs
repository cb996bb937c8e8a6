using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
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
        http.RequestServices.GetRequiredService<IEvidenceRecorder>().RecordAsync(new ExchangeRecord
        {
            Client = client ?? http.User.FindFirst(HubClaims.ClientId)?.Value ?? "anonymous",
            Operation = operation,
            Time = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            Outcome = outcome,
            RequestDigest = ExchangeRecord.Digest(http.Request.QueryString.Value ?? ""),
        }, CancellationToken.None);
}
