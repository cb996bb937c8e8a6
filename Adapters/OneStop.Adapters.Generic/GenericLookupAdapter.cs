using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using OneStop.Mappings;

namespace OneStop.Adapters.Generic;

/// <summary>
/// Upstreams defined by files. Everything that differs between them is data: the address, protocol and
/// authentication in <c>upstreams/&lt;id&gt;.yaml</c>, the request and the record in the two mappings. This class only
/// moves the mapped request onto the wire (query string, JSON body or SOAP envelope) and the reply back to the engine.
/// </summary>
internal sealed class GenericLookupAdapter(GenericUpstreamClients clients) : IGenericLookupAdapter
{
    private const string SoapEnvelope = "http://schemas.xmlsoap.org/soap/envelope/";

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        OmitXmlDeclaration = true,
        Encoding = new UTF8Encoding(false),
    };

    public Task<UpstreamReply<JsonObject>> LookupAsync(
        MappingCatalog catalog, UpstreamDefinition upstream, JsonObject source, UpstreamCall call, CancellationToken cancellationToken) =>
        CallAsync(catalog, upstream, source, call, static (_, mapped) => mapped as JsonObject, cancellationToken);

    /// <summary>
    /// The call every file-defined upstream goes through, generic or built-in: <paramref name="read"/> turns the mapped
    /// reply into the record (null: none) inside the resilience pipeline, so a record that does not fit counts against
    /// the upstream like any malformed reply.
    /// </summary>
    internal async Task<UpstreamReply<T>> CallAsync<T>(
        MappingCatalog catalog, UpstreamDefinition upstream, JsonObject source, UpstreamCall call, Func<string, JsonNode, T?> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(call);
        var requestMapping = catalog.Get(upstream.RequestMapping);
        var replyMapping = catalog.Get(upstream.ReplyMapping);
        var client = clients.For(upstream);

        var parameters = new JsonObject();
        foreach (var (name, value) in client.Options.Parameters)
        {
            parameters[name] = value;
        }

        source["upstream"] = parameters;
        source["ma_yeu_cau"] ??= call.RequestId;

        // A request the mapping cannot build is the caller's mistake: MappingException goes back as INVALID_ARGUMENT.
        var request = requestMapping.ApplyTraced(source) as JsonObject
            ?? throw new InvalidOperationException($"mapping {requestMapping.VersionTag} produced no request object");

        var mappings = new Mappings(requestMapping, replyMapping);
        return upstream.Protocol == UpstreamProtocol.Soap
            ? await CallSoapAsync(client, upstream, request, mappings, read, cancellationToken).ConfigureAwait(false)
            : await CallRestAsync(client, upstream, request, mappings, read, cancellationToken).ConfigureAwait(false);
    }

    private static Task<UpstreamReply<T>> CallRestAsync<T>(
        UpstreamClient client, UpstreamDefinition upstream, JsonObject request, Mappings mappings, Func<string, JsonNode, T?> read, CancellationToken ct)
        where T : class =>
        client.CallJsonAsync(
            () => upstream.Method == "GET" ? UpstreamRequests.GetWithQuery(Endpoint(client), request) : UpstreamRequests.PostJson(Endpoint(client), request),
            reply => HoldsRecord(upstream, reply) ? Map(upstream.Id, reply, mappings, read) : None<T>(mappings),
            ct);

    private static Task<UpstreamReply<T>> CallSoapAsync<T>(
        UpstreamClient client, UpstreamDefinition upstream, JsonObject request, Mappings mappings, Func<string, JsonNode, T?> read, CancellationToken ct)
        where T : class
    {
        var envelope = Envelope(upstream, request);
        return client.CallAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, Endpoint(client))
                {
                    Content = new StringContent(envelope, Encoding.UTF8, new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" }),
                };
                message.Headers.TryAddWithoutValidation("SOAPAction", $"\"{upstream.SoapAction}\"");
                return message;
            },
            (status, body) =>
            {
                var text = Encoding.UTF8.GetString(body);
                JsonObject? tree = null;
                if (status == HttpStatusCode.InternalServerError && TryParse(text, out tree) && Fault(tree) is { } fault)
                {
                    // A SOAP fault: the client's fault is a refusal; the server's is the upstream failing.
                    var failure = fault.Code.EndsWith("Client", StringComparison.Ordinal) || fault.Code.EndsWith("Sender", StringComparison.Ordinal)
                        ? UpstreamFailure.Rejected
                        : UpstreamFailure.Unavailable;
                    throw new UpstreamException(upstream.Id, failure, $"SOAP fault {fault.Code}: {Describe(fault.Reason)}");
                }

                client.EnsureSuccess(status);
                if (tree is null && !TryParse(text, out tree, out var problem))
                {
                    throw new UpstreamException(upstream.Id, UpstreamFailure.MalformedReply, $"reply is not XML the hub reads: {problem}");
                }

                // The reply mapping reads the XML text itself (root: { parse: xml, … }), as its samples do.
                return HoldsRecord(upstream, tree) ? Map(upstream.Id, JsonValue.Create(text), mappings, read) : None<T>(mappings);
            },
            ct);
    }

    /// <summary>
    /// The definition's verdict on the reply (<c>success_when</c>, <c>not_found_when</c>, <c>error_code</c>,
    /// <c>error_message</c>): true to map it, false when it says there is no record; a refusal or a reply without its
    /// success flag is thrown. No upstream's reply is judged anywhere else.
    /// </summary>
    private static bool HoldsRecord(UpstreamDefinition upstream, JsonNode? reply)
    {
        var check = upstream.Judge(reply);
        return check.Verdict switch
        {
            UpstreamReplyVerdict.Malformed => throw new UpstreamException(upstream.Id, UpstreamFailure.MalformedReply, check.Code ?? "reply is not in the documented shape"),
            UpstreamReplyVerdict.Refused => throw new UpstreamException(upstream.Id, UpstreamFailure.Rejected, check.Code is null
                ? Describe(check.Message)
                : string.IsNullOrWhiteSpace(check.Message) ? check.Code : $"{check.Code}: {UpstreamRequests.Brief(check.Message)}"),
            UpstreamReplyVerdict.NotFound => false,
            _ => true,
        };
    }

    private static UpstreamReply<T> None<T>(Mappings mappings)
        where T : class => new(null, mappings.Reply.VersionTag, mappings.Request.VersionTag);

    private static UpstreamReply<T> Map<T>(string upstream, JsonNode reply, Mappings mappings, Func<string, JsonNode, T?> read)
        where T : class
    {
        JsonNode? mapped;
        try
        {
            mapped = mappings.Reply.ApplyTraced(reply);
        }
        catch (MappingException e)
        {
            throw new UpstreamException(upstream, UpstreamFailure.MalformedReply, e.Message, e);
        }

        return new UpstreamReply<T>(mapped is null ? null : read(upstream, mapped), mappings.Reply.VersionTag, mappings.Request.VersionTag);
    }

    private sealed record Mappings(MappingDefinition Request, MappingDefinition Reply);

    /// <summary>The mapped request as the operation element of a SOAP 1.1 envelope.</summary>
    internal static string Envelope(UpstreamDefinition upstream, JsonObject request)
    {
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, WriterSettings))
        {
            writer.WriteStartElement("soap", "Envelope", SoapEnvelope);
            writer.WriteStartElement("soap", "Body", SoapEnvelope);
            writer.WriteStartElement(upstream.SoapOperation!, upstream.SoapNamespace);
            foreach (var (name, value) in request)
            {
                MappingXml.WriteElement(writer, name, upstream.SoapNamespace, value);
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return text.ToString();
    }

    private static bool TryParse(string text, out JsonObject tree) => TryParse(text, out tree!, out _);

    private static bool TryParse(string text, out JsonObject? tree, out string? problem)
    {
        try
        {
            tree = MappingXml.Parse(text);
            problem = null;
            return true;
        }
        catch (FormatException e)
        {
            tree = null;
            problem = e.Message;
            return false;
        }
    }

    private static (string Code, string? Reason)? Fault(JsonObject tree)
    {
        if (tree["Envelope"]?["Body"]?["Fault"] is not JsonObject fault)
        {
            return null;
        }

        var code = fault["faultcode"] is JsonValue c && c.GetValueKind() == JsonValueKind.String ? c.GetValue<string>() : "soap:Server";
        var reason = fault["faultstring"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
        return (code, reason);
    }

    private static string Endpoint(UpstreamClient client) => string.IsNullOrWhiteSpace(client.Options.Endpoint) ? "/" : client.Options.Endpoint;

    private static string Describe(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "refused the request" : UpstreamRequests.Brief(message);
}
