using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using OneStop.Hub.Diagnostics;

namespace OneStop.Hub.Kafka;

/// <summary>
/// W3C trace context through Kafka record headers (<c>traceparent</c>, <c>tracestate</c>), so one trace shows a
/// publish and every later delivery of it. Producer spans inject; consumer spans continue the producer's trace.
/// </summary>
public static class KafkaTracing
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>A producer span for one record, its context written into the record's headers.</summary>
    public static Activity? StartPublish<TKey, TValue>(string topic, Message<TKey, TValue> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var activity = HubActivities.Source.StartActivity($"{topic} publish", ActivityKind.Producer);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", topic);
        }

        Inject(activity ?? Activity.Current, message.Headers ??= new Headers());
        return activity;
    }

    /// <summary>
    /// A consumer span for a record handled after it was consumed (a dossier's lane takes it up later), child of
    /// <paramref name="parent"/>, the context its headers carried (<see cref="Extract"/>).
    /// </summary>
    public static Activity? StartProcess(string topic, int partition, long offset, string destination, ActivityContext parent)
    {
        var activity = HubActivities.Source.StartActivity($"{topic} process", ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", topic);
            activity.SetTag("messaging.destination.partition.id", partition.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", offset);
            activity.SetTag("onestop.destination", destination);
        }

        return activity;
    }

    /// <summary>Writes <paramref name="activity"/>'s W3C context into <paramref name="headers"/> (replacing any there).</summary>
    public static void Inject(Activity? activity, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return;
        }

        headers.Remove(TraceParentHeader);
        headers.Remove(TraceStateHeader);
        headers.Add(TraceParentHeader, Encoding.ASCII.GetBytes(activity.Id!));
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.Add(TraceStateHeader, Encoding.ASCII.GetBytes(activity.TraceStateString));
        }
    }

    /// <summary>The W3C context in <paramref name="headers"/>, or default when there is none (or it does not parse).</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(TraceParentHeader, out var parent))
        {
            return default;
        }

        var state = headers.TryGetLastBytes(TraceStateHeader, out var s) ? Encoding.ASCII.GetString(s) : null;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(parent), state, isRemote: true, out var context) ? context : default;
    }
}
