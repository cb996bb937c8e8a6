using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OneStop.Mappings;

namespace OneStop.Adapters;

/// <summary>
/// A lookup adapter whose field and code mappings are data: the canonical query is turned into the
/// upstream's request by the mapping <c>&lt;system&gt;.request</c>, and the upstream's reply into the
/// canonical record by <c>&lt;system&gt;.reply</c> (files under Mappings/files). A concrete adapter only
/// says where to send the request and how the upstream reports errors in its body.
/// </summary>
public abstract class MappedLookupAdapter<TQuery, TRecord> : ILookupAdapter<TQuery, TRecord>
    where TRecord : class
{
    private readonly UpstreamClient _upstream;
    private readonly IMappingSource _mappings;
    private readonly JsonTypeInfo<TQuery> _queryType;
    private readonly JsonTypeInfo<TRecord> _recordType;

    protected MappedLookupAdapter(UpstreamClient upstream, IMappingSource mappings, JsonTypeInfo<TQuery> queryType, JsonTypeInfo<TRecord> recordType)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(mappings);
        _upstream = upstream;
        _mappings = mappings;
        _queryType = queryType;
        _recordType = recordType;
    }

    public string Upstream => _upstream.Name;

    /// <summary>The documented path of the upstream operation; <see cref="UpstreamOptions.Endpoint"/> overrides it.</summary>
    protected abstract string DefaultEndpoint { get; }

    protected string Endpoint => string.IsNullOrWhiteSpace(_upstream.Options.Endpoint) ? DefaultEndpoint : _upstream.Options.Endpoint;

    /// <summary>Builds the HTTP request for the mapped upstream request (called once per attempt).</summary>
    protected abstract HttpRequestMessage BuildRequest(JsonObject upstreamRequest);

    /// <summary>Throws <see cref="UpstreamException"/> when the reply body reports an error of its own.</summary>
    protected virtual void CheckReply(JsonNode reply)
    {
    }

    public async Task<UpstreamReply<TRecord>> LookupAsync(TQuery query, UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        // Both mappings from one catalog: a reload in the middle of a call never mixes versions.
        var catalog = _mappings.Current;
        var requestMapping = catalog.Get($"{Upstream}.request");
        var replyMapping = catalog.Get($"{Upstream}.reply");

        var source = JsonSerializer.SerializeToNode(query, _queryType) as JsonObject ?? [];
        source["ma_yeu_cau"] = call.RequestId;
        var parameters = new JsonObject();
        foreach (var (key, value) in _upstream.Options.Parameters)
        {
            parameters[key] = value;
        }

        source["upstream"] = parameters;
        var upstreamRequest = requestMapping.ApplyTraced(source) as JsonObject
            ?? throw new InvalidOperationException($"mapping {requestMapping.VersionTag} produced no request object");

        return await _upstream.CallJsonAsync(
            () => BuildRequest(upstreamRequest),
            reply => Interpret(reply, requestMapping, replyMapping),
            cancellationToken).ConfigureAwait(false);
    }

    private UpstreamReply<TRecord> Interpret(JsonNode reply, MappingDefinition requestMapping, MappingDefinition replyMapping)
    {
        CheckReply(reply);
        JsonNode? mapped;
        try
        {
            mapped = replyMapping.ApplyTraced(reply);
        }
        catch (MappingException e)
        {
            throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, e.Message, e);
        }

        if (mapped is null)
        {
            return new UpstreamReply<TRecord>(null, replyMapping.VersionTag, requestMapping.VersionTag);
        }

        try
        {
            var record = mapped.Deserialize(_recordType)
                ?? throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, "reply mapped to an empty record");
            return new UpstreamReply<TRecord>(record, replyMapping.VersionTag, requestMapping.VersionTag);
        }
        catch (JsonException e)
        {
            throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply,
                $"mapped reply does not fit the canonical record at {e.Path}", e);
        }
    }

    /// <summary>A POST with the mapped request as its JSON body.</summary>
    protected HttpRequestMessage PostJson(JsonObject body) => UpstreamRequests.PostJson(Endpoint, body);

    /// <summary>A GET with every top-level value of the mapped request as a query-string parameter.</summary>
    protected HttpRequestMessage GetWithQuery(JsonObject parameters) => UpstreamRequests.GetWithQuery(Endpoint, parameters);

    /// <summary>Reads <c>error_code</c> (number or string); anything but 0 is the upstream rejecting the request.</summary>
    protected void RequireErrorCodeZero(JsonNode reply, string messageProperty = "message")
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply is not JsonObject body || !body.TryGetPropertyValue("error_code", out var code) || code is null)
        {
            throw new UpstreamException(Upstream, UpstreamFailure.MalformedReply, "reply has no error_code");
        }

        var text = UpstreamRequests.CodeText(code) ?? code.ToJsonString();
        if (text != "0")
        {
            var message = body[messageProperty]?.GetValueKind() == JsonValueKind.String ? body[messageProperty]!.GetValue<string>() : "";
            throw new UpstreamException(Upstream, UpstreamFailure.Rejected,
                $"error_code {text}{(message.Length > 0 ? ": " + UpstreamRequests.Brief(message) : "")}");
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
