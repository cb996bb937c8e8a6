using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OneStop.Hub.Inbound;
using OneStop.Hub.Kafka;
using OneStop.Hub.Security;
using Quartz;

namespace OneStop.Hub.Host.Inbound;

public static class InboundModule
{
    /// <summary>The portal's push path on the HTTP port.</summary>
    public const string PushPath = "/api/dvcqg/v1/ho-so";

    /// <summary>
    /// Inbound dossiers (design flow 3): the intake, pull runs (a Quartz job per agency of <c>Inbound:Agencies</c>
    /// every <c>Inbound:PullInterval</c>, run only by the instance that owns the agency), delivery to subscribers,
    /// the attachment store, the portal's catalogue (a job every <c>Catalogue:CheckInterval</c> that reads it again once
    /// it is <c>Catalogue:RefreshInterval</c> old, on the instance that owns the key <c>catalogue</c>), and their Kafka parts.
    /// </summary>
    public static WebApplicationBuilder AddOneStopInbound(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<InboundOptions>().BindConfiguration("Inbound").ValidateDataAnnotations()
            .Validate(o => o.MaxBackoff >= o.InitialBackoff, "Inbound: MaxBackoff must be at least InitialBackoff")
            .Validate(o => o.Agencies.All(a => !string.IsNullOrWhiteSpace(a) && !a.Contains('/', StringComparison.Ordinal)), "Inbound:Agencies: each entry must be an agency code (MaDonVi) without '/'")
            .ValidateOnStart();
        services.AddOptions<CatalogueOptions>().BindConfiguration("Catalogue").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<InboundCatalogue>();
        services.AddSingleton<IProcedureCatalogue>(sp => sp.GetRequiredService<InboundCatalogue>());
        services.TryAddSingleton<IAttachmentStore, FileAttachmentStore>();
        services.TryAddSingleton<InboundIntake>();
        services.TryAddSingleton<InboundPuller>();
        services.TryAddSingleton<InboundDeliveryService>();
        services.TryAddSingleton<PostalTrackingPoller>();
        services.TryAddSingleton<IPostalTrackingTrail>(sp => sp.GetRequiredService<PostalTrackingPoller>());
        services.AddKafkaInbound();

        // The schedule is set up now, before the options are validated: a value that does not convert or is out of range
        // falls back to the default here, and the start-up validation then refuses it in one line naming the setting.
        InboundOptions inbound;
        try
        {
            inbound = builder.Configuration.GetSection("Inbound").Get<InboundOptions>() ?? new InboundOptions();
        }
        catch (InvalidOperationException)
        {
            inbound = new InboundOptions();
        }

        var defaults = new InboundOptions();
        var pullInterval = inbound.PullInterval > TimeSpan.Zero ? inbound.PullInterval : defaults.PullInterval;
        var trackingInterval = inbound.PostalTrackingInterval > TimeSpan.Zero ? inbound.PostalTrackingInterval : defaults.PostalTrackingInterval;
        services.AddQuartz(q =>
        {
            foreach (var agency in inbound.Agencies.Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.Ordinal))
            {
                var key = new JobKey($"inbound-pull:{agency}", "inbound");
                q.AddJob<InboundPullJob>(j => j.WithIdentity(key).UsingJobData(InboundPullJob.AgencyKey, agency).DisallowConcurrentExecution(true));
                q.AddTrigger<InboundPullJob>(t => t.ForJob(key).WithIdentity($"inbound-pull:{agency}", "inbound").StartNow()
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(pullInterval).RepeatForever()));
            }
        });
        services.AddQuartz(q =>
        {
            var key = new JobKey("postal-tracking", "inbound");
            q.AddJob<PostalTrackingJob>(j => j.WithIdentity(key).DisallowConcurrentExecution(true));
            q.AddTrigger<PostalTrackingJob>(t => t.ForJob(key).WithIdentity("postal-tracking", "inbound").StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(trackingInterval).RepeatForever()));
        });
        var catalogue = builder.Configuration.GetSection("Catalogue").Get<CatalogueOptions>() ?? new CatalogueOptions();
        services.AddQuartz(q =>
        {
            var key = new JobKey("catalogue", "inbound");
            q.AddJob<CatalogueJob>(j => j.WithIdentity(key).DisallowConcurrentExecution(true));
            q.AddTrigger<CatalogueJob>(t => t.ForJob(key).WithIdentity("catalogue", "inbound").StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(catalogue.CheckInterval).RepeatForever()));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    /// <summary>
    /// <c>POST /api/dvcqg/v1/ho-so</c>: the portal pushes <c>{"data":[item, …]}</c> (DongBoHoSoMC items) and gets
    /// <c>{"error_code":"0", message, result:[{MaHoSo, status, error}]}</c> once Kafka acknowledged the accepted ones.
    /// Needs the right <c>InboundService/NhanHoSo</c>.
    /// </summary>
    public static WebApplication MapOneStopInbound(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(PushPath, (Delegate)PushAsync);
        return app;
    }

    private static async Task<IResult> PushAsync(HttpContext http)
    {
        var client = http.User.FindFirst(HubClaims.ClientId)?.Value;
        if (client is null)
        {
            return Reply(StatusCodes.Status401Unauthorized, "401", http.Items[HubClaims.FailureItem] as string ?? "send the portal's API key as x-api-key");
        }

        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(http.User, InboundIntake.PushOperation, HubClaims.OperationPolicy).ConfigureAwait(false)).Succeeded)
        {
            return Reply(StatusCodes.Status403Forbidden, "403", $"client {client} has no right to {InboundIntake.PushOperation}");
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Reply(StatusCodes.Status400BadRequest, "1", "body: must be JSON {\"data\":[…]}");
        }

        if (body is not JsonObject o || o["data"] is not JsonArray data || data.Count == 0)
        {
            return Reply(StatusCodes.Status400BadRequest, "1", "data: required, a non-empty list of dossiers (DongBoHoSoMC items)");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<InboundOptions>>().Value;
        if (data.Count > options.MaxPushItems)
        {
            return Reply(StatusCodes.Status413PayloadTooLarge, "1", $"data: at most {options.MaxPushItems} dossiers per call");
        }

        try
        {
            var results = await http.RequestServices.GetRequiredService<InboundIntake>().PushAsync(client, [.. data], http.RequestAborted).ConfigureAwait(false);
            var result = new JsonArray();
            foreach (var r in results)
            {
                var item = new JsonObject { ["MaHoSo"] = r.MaHoSo, ["status"] = r.Status };
                if (r.Error is not null)
                {
                    item["error"] = r.Error;
                }

                result.Add(item);
            }

            return Results.Text(new JsonObject { ["error_code"] = "0", ["message"] = InboundItemResult.Summary(results), ["result"] = result }.ToJsonString(), "application/json; charset=utf-8");
        }
        catch (HubException e) when (e.Kind == HubErrorKind.Unavailable)
        {
            return Reply(StatusCodes.Status503ServiceUnavailable, "2", e.Message);
        }
    }

    private static IResult Reply(int status, string code, string message) =>
        Results.Text(new JsonObject { ["error_code"] = code, ["message"] = message, ["result"] = new JsonArray() }.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
}

/// <summary>What the scheduled inbound jobs share: a run only on the instance that owns its key, after catching up.</summary>
internal static class OwnedRuns
{
    /// <summary>
    /// Runs <paramref name="work"/> when this instance holds the lease on <paramref name="key"/> (false when another
    /// instance owns it), after reading the previous owner's last state (cursors, seen dossiers, the catalogue).
    /// </summary>
    public static async Task<bool> RunIfOwnedAsync(this IAgencyOwnership ownership, string key, IInboundState state, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var lease = await ownership.TryLeaseAsync(key, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        await state.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        await work(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A failure a run reports and outlives (the portal or postal operator failing, Kafka refusing): the next run tries again.</summary>
    public static bool IsRunFailure(Exception e) => e is OneStop.Adapters.UpstreamException or HubException or HttpRequestException or IOException;
}

/// <summary>One pull run for one agency, when this instance owns the agency (Quartz never overlaps runs of one job here).</summary>
internal sealed class InboundPullJob(InboundPuller puller, IAgencyOwnership ownership, IInboundState state) : IJob
{
    public const string AgencyKey = "agency";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.MergedJobDataMap.TryGetValue(AgencyKey, out var value) || value is not string { Length: > 0 } agency)
        {
            return;
        }

        await ownership.RunIfOwnedAsync(agency, state, ct => puller.RunAsync(agency, ct), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Polls the postal tracking feed, on the one instance that owns the key <c>postal-tracking</c>.</summary>
internal sealed partial class PostalTrackingJob(PostalTrackingPoller poller, IAgencyOwnership ownership, IInboundState state, ILogger<PostalTrackingJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await ownership.RunIfOwnedAsync("postal-tracking", state, async ct =>
        {
            try
            {
                await poller.RunAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (OwnedRuns.IsRunFailure(e))
            {
                LogFailed(e.Message);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Postal tracking poll failed ({Reason}); the cursor stays, the next run goes on from it")]
    private partial void LogFailed(string reason);
}

/// <summary>Reads the portal's catalogue when the loaded one is due for a refresh, on the one instance that owns the key <c>catalogue</c>.</summary>
internal sealed partial class CatalogueJob(InboundCatalogue catalogue, IAgencyOwnership ownership, IInboundState state, ILogger<CatalogueJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await ownership.RunIfOwnedAsync("catalogue", state, async ct =>
        {
            if (!catalogue.RefreshDue)
            {
                return;
            }

            try
            {
                await catalogue.RefreshAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (OwnedRuns.IsRunFailure(e))
            {
                LogFailed(e.Message);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalogue refresh failed ({Reason}); the loaded catalogue stays, the next check tries again")]
    private partial void LogFailed(string reason);
}
