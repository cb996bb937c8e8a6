using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>How the hub speaks to an upstream reached through the generic lookup.</summary>
public enum UpstreamProtocol
{
    /// <summary>JSON over HTTP: GET with the mapped request as query parameters, or POST with it as the JSON body.</summary>
    Rest,

    /// <summary>SOAP 1.1: the mapped request is the operation element inside an envelope; the reply is XML.</summary>
    Soap,
}

/// <summary>How the hub authenticates to the upstream.</summary>
public enum UpstreamAuthMode
{
    None,

    /// <summary>OAuth2 client credentials: a bearer token from the upstream's token endpoint.</summary>
    ClientCredentials,
}

/// <summary>What an upstream's reply says by the conditions of its definition, before the reply mapping reads it.</summary>
public enum UpstreamReplyVerdict
{
    /// <summary>A successful reply: the reply mapping reads the record (or finds none).</summary>
    Success,

    /// <summary><c>not_found_when</c> holds: the upstream says it holds no such record.</summary>
    NotFound,

    /// <summary><c>success_when</c> does not hold: the upstream refused the request.</summary>
    Refused,

    /// <summary><c>success_when</c> has <c>required: true</c> and the reply has nothing at its path: not the documented shape.</summary>
    Malformed,
}

/// <summary>The verdict on one reply, with what a refusal or a malformed reply is reported with.</summary>
/// <param name="Code">For a refusal: the code at <c>error_code</c>, named, e.g. <c>error_code 2</c>; for a malformed reply: what is missing.</param>
/// <param name="Message">For a refusal: the text at <c>error_message</c>, as the upstream wrote it.</param>
public readonly record struct UpstreamReplyCheck(UpstreamReplyVerdict Verdict, string? Code = null, string? Message = null);

/// <summary>
/// An upstream defined by a file (<c>upstreams/&lt;id&gt;.yaml</c> in a mapping folder) rather than by code: its address,
/// protocol, authentication, the two mappings (<c>request</c>: parameters → upstream request; <c>reply</c>: upstream
/// reply → record), how it says it refused a request, and its resilience limits. Immutable; part of a
/// <see cref="MappingCatalog"/>, so a reload swaps definitions and mappings together.
/// </summary>
public sealed class UpstreamDefinition
{
    private readonly Condition? _successWhen;
    private readonly PathExpr? _errorMessage;

    internal UpstreamDefinition(string id, string version, Condition? successWhen, PathExpr? errorMessage)
    {
        Id = id;
        Version = version;
        _successWhen = successWhen;
        _errorMessage = errorMessage;
    }

    /// <summary><c>success_when: { …, required: true }</c>: a reply with nothing at the condition's path is malformed.</summary>
    internal bool SuccessRequired { get; init; }

    /// <summary><c>not_found_when</c>: the condition under which the reply says "no such record".</summary>
    internal Condition? NotFoundWhen { get; init; }

    /// <summary><c>error_code</c>: where a refusal carries its code, and the name it is reported by.</summary>
    internal (PathExpr Path, string Name)? ErrorCode { get; init; }

    /// <summary>The upstream's name (the file name without <c>.yaml</c>), e.g. <c>civil-status</c>: what callers pass to the generic lookup.</summary>
    public string Id { get; }

    public string Version { get; }

    /// <summary><c>{Id}@{Version}</c>, e.g. <c>civil-status@1</c>.</summary>
    public string VersionTag => $"{Id}@{Version}";

    public string? Description { get; init; }

    /// <summary>The file as reports name it, e.g. <c>upstreams/civil-status.yaml</c>.</summary>
    public string FileName { get; init; } = string.Empty;

    public string? FilePath { get; init; }

    /// <summary>Hex SHA-256 of the file's text.</summary>
    public string ContentHash { get; init; } = string.Empty;

    public UpstreamProtocol Protocol { get; init; }

    /// <summary>GET or POST (REST); always POST for SOAP.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>The upstream's address; null when configuration provides it (<c>Upstreams:&lt;id&gt;:BaseUrl</c>).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Path of the operation, relative to <see cref="BaseUrl"/>.</summary>
    public string Endpoint { get; init; } = "/";

    public UpstreamAuthMode Authentication { get; init; }

    public string TokenPath { get; init; } = "/token";

    /// <summary>Client id for client credentials; configuration (<c>Upstreams:&lt;id&gt;:ClientId</c>) may provide it instead.</summary>
    public string? ClientId { get; init; }

    /// <summary>Client secret; better kept in configuration (<c>Upstreams:&lt;id&gt;:ClientSecret</c>) than in the file.</summary>
    public string? ClientSecret { get; init; }

    public string? SoapNamespace { get; init; }

    /// <summary>The operation element of the SOAP body, e.g. <c>TraCuuKhaiSinh</c>.</summary>
    public string? SoapOperation { get; init; }

    /// <summary>The SOAPAction header; defaults to <c>{namespace}/{operation}</c>.</summary>
    public string? SoapAction { get; init; }

    /// <summary>Id of the mapping from the caller's parameters to the upstream request (default <c>&lt;id&gt;.request</c>).</summary>
    public string RequestMapping { get; init; } = string.Empty;

    /// <summary>Id of the mapping from the upstream reply to the record (default <c>&lt;id&gt;.reply</c>).</summary>
    public string ReplyMapping { get; init; } = string.Empty;

    /// <summary>Fixed values the request mapping reads under <c>upstream.*</c> (integration codes and the like).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public TimeSpan? AttemptTimeout { get; init; }

    public TimeSpan? TotalTimeout { get; init; }

    public int? MaxRetries { get; init; }

    /// <summary>
    /// Whether the reply says the upstream refused the request (<c>success_when</c> does not hold), and with which
    /// message (the text at <c>error_message</c>). Without <c>success_when</c> every reply that arrives is a success.
    /// </summary>
    public bool IsRefusal(JsonNode? reply, out string? message)
    {
        message = null;
        if (_successWhen is null || _successWhen.Holds(reply))
        {
            return false;
        }

        message = _errorMessage is null ? null : Json.Text(_errorMessage.Resolve(reply));
        return true;
    }

    /// <summary>
    /// Judges a reply by the definition's conditions, in this order: <c>success_when</c> with <c>required: true</c> and
    /// nothing at its path → <see cref="UpstreamReplyVerdict.Malformed"/>; <c>not_found_when</c> holds →
    /// <see cref="UpstreamReplyVerdict.NotFound"/>; <c>success_when</c> does not hold → <see cref="UpstreamReplyVerdict.Refused"/>
    /// with the code at <c>error_code</c> and the text at <c>error_message</c>; otherwise <see cref="UpstreamReplyVerdict.Success"/>.
    /// </summary>
    public UpstreamReplyCheck Judge(JsonNode? reply)
    {
        if (SuccessRequired && _successWhen is not null && Json.IsAbsent(_successWhen.Path.Resolve(reply)))
        {
            return new UpstreamReplyCheck(UpstreamReplyVerdict.Malformed, $"reply has no {_successWhen.Path.Text}");
        }

        if (NotFoundWhen is not null && NotFoundWhen.Holds(reply))
        {
            return new UpstreamReplyCheck(UpstreamReplyVerdict.NotFound);
        }

        if (_successWhen is null || _successWhen.Holds(reply))
        {
            return new UpstreamReplyCheck(UpstreamReplyVerdict.Success);
        }

        var code = ErrorCode is { } errorCode ? Json.Text(errorCode.Path.Resolve(reply)) : null;
        var message = _errorMessage is null ? null : Json.Text(_errorMessage.Resolve(reply));
        return new UpstreamReplyCheck(UpstreamReplyVerdict.Refused, code is null ? null : $"{ErrorCode!.Value.Name} {code}", message);
    }

    public override string ToString() => VersionTag;
}
