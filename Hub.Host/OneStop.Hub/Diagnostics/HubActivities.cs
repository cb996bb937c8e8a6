using System.Diagnostics;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Diagnostics;

/// <summary>
/// The hub's spans (OpenTelemetry picks them up by <see cref="SourceName"/>; the adapters' upstream and mapping
/// spans come from <c>OneStop.Adapters.UpstreamActivities</c>). Span names and attributes carry operations,
/// destinations, ids and outcomes, never a value a citizen sent.
/// </summary>
public static class HubActivities
{
    public const string SourceName = "OneStop.Hub";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>One attempt to deliver a dossier event to a destination (the destination call is its child).</summary>
    public static Activity? StartDeliveryAttempt(string destination, string eventId, int attempt, bool replay = false)
    {
        var activity = Source.StartActivity(replay ? $"replay {destination}" : $"deliver {destination}");
        activity?.SetTag("onestop.destination", destination);
        activity?.SetTag("onestop.event_id", eventId);
        activity?.SetTag("onestop.attempt", attempt);
        return activity;
    }

    /// <summary>
    /// One pull run for one receiving agency (the inbound flow's scheduled job): the portal calls it makes are its
    /// children. The agency is an organisation's code (MaDonVi), never a person's data.
    /// </summary>
    public static Activity? StartInboundPull(string agency)
    {
        var activity = Source.StartActivity("inbound pull");
        activity?.SetTag("onestop.agency", agency);
        return activity;
    }

    /// <summary>What a pull run did, on its span: <c>ok</c>, <c>failed</c> (an error status) or <c>backing_off</c>, and the counts.</summary>
    public static void SetPullOutcome(Activity? activity, string result, int listed, int accepted)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("onestop.outcome", result);
        activity.SetTag("onestop.inbound.listed", listed);
        activity.SetTag("onestop.inbound.accepted", accepted);
        if (result == Inbound.PullOutcome.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, "the portal did not answer the whole window");
        }
    }

    /// <summary>Writing one evidence record.</summary>
    public static Activity? StartEvidenceWrite(ExchangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var activity = Source.StartActivity("evidence write");
        activity?.SetTag("onestop.operation", record.Operation);
        activity?.SetTag("onestop.outcome", record.Outcome);
        return activity;
    }
}

/// <summary>Evidence recording as a span: wraps the recorder in force (the durable one, or the log default).</summary>
public sealed class TracingEvidenceRecorder(IEvidenceRecorder inner) : IEvidenceRecorder
{
    public async ValueTask RecordAsync(ExchangeRecord record, CancellationToken cancellationToken)
    {
        using var activity = HubActivities.StartEvidenceWrite(record);
        await inner.RecordAsync(record, cancellationToken).ConfigureAwait(false);
    }
}
