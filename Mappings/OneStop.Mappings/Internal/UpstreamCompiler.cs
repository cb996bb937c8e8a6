using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;

namespace OneStop.Mappings.Internal;

/// <summary>Checks an upstream definition's meaning (its structure was checked by the embedded schema) and builds it.</summary>
internal sealed partial class UpstreamCompiler(string file, List<MappingError> errors, SchemaFiles schemas)
{
    public UpstreamDefinition? Compile(JsonObject document, string? filePath, string contentHash)
    {
        var before = errors.Count;
        var id = Json.Text(document["id"]);
        var stem = DefinitionCompiler.StemOf(Path.GetFileName(file));
        if (id is not null && !IdPattern().IsMatch(id))
        {
            Error("id", $"'{id}' must be a lower-case name of letters, digits and dashes (e.g. civil-status)");
        }
        else if (id is not null && id != stem)
        {
            Error("id", $"'{id}' does not match the file name (a file named {Path.GetFileName(file)} must have id {stem})");
        }

        var version = Json.Text(document["version"]);
        if (version is not null && string.IsNullOrWhiteSpace(version))
        {
            Error("version", "must not be empty");
        }

        var protocol = Json.Text(document["protocol"]) == "soap" ? UpstreamProtocol.Soap : UpstreamProtocol.Rest;
        var method = Json.Text(document["method"]) ?? "POST";
        if (protocol == UpstreamProtocol.Soap && method != "POST")
        {
            Error("method", "a SOAP upstream is called with POST");
        }

        Uri? baseUrl = null;
        if (Json.Text(document["base_url"]) is { } baseText)
        {
            if (!Uri.TryCreate(baseText, UriKind.Absolute, out baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            {
                Error("base_url", $"'{baseText}' is not an absolute http(s) address");
                baseUrl = null;
            }
        }

        var endpoint = Json.Text(document["endpoint"]) ?? "/";
        if (!endpoint.StartsWith('/'))
        {
            Error("endpoint", "must be a path starting with '/' (relative to base_url)");
        }

        var auth = document["auth"] as JsonObject;
        var authentication = Json.Text(auth?["type"]) == "client-credentials" ? UpstreamAuthMode.ClientCredentials : UpstreamAuthMode.None;
        var tokenPath = Json.Text(auth?["token_path"]) ?? "/token";
        if (authentication == UpstreamAuthMode.None && auth is not null && (auth.ContainsKey("client_id") || auth.ContainsKey("client_secret") || auth.ContainsKey("token_path")))
        {
            Error("auth", "client_id, client_secret and token_path go with type: client-credentials");
        }

        var soap = document["soap"] as JsonObject;
        string? soapNamespace = null, soapOperation = null, soapAction = null;
        if (protocol == UpstreamProtocol.Soap)
        {
            if (soap is null)
            {
                Error("soap", "a SOAP upstream needs soap: { namespace, operation } (and optionally action)");
            }
            else
            {
                soapNamespace = Json.Text(soap["namespace"]);
                soapOperation = Json.Text(soap["operation"]);
                soapAction = Json.Text(soap["action"]);
                if (soapNamespace is not null && !Uri.TryCreate(soapNamespace, UriKind.Absolute, out _))
                {
                    Error("soap.namespace", $"'{soapNamespace}' is not an absolute URI");
                }

                if (soapOperation is not null && !IsXmlName(soapOperation))
                {
                    Error("soap.operation", $"'{soapOperation}' is not an XML element name");
                }
            }
        }
        else if (soap is not null)
        {
            Error("soap", "goes with protocol: soap");
        }

        var compiler = new DefinitionCompiler(file, errors, schemas);
        Condition? successWhen = null;
        var successRequired = false;
        if (document.TryGetPropertyValue("success_when", out var whenNode))
        {
            // required: true is the success condition's own option (a field's when has none): take it off before compiling.
            if (whenNode is JsonObject when && when.ContainsKey("required"))
            {
                var copy = (JsonObject)when.DeepClone();
                var required = copy["required"]?.GetValueKind();
                copy.Remove("required");
                if (required is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
                {
                    Error("success_when", "required must be true or false");
                }

                successRequired = required == System.Text.Json.JsonValueKind.True;
                whenNode = copy;
            }

            successWhen = compiler.CompileCondition(whenNode, "success_when");
        }

        Condition? notFoundWhen = null;
        if (document.TryGetPropertyValue("not_found_when", out var notFoundNode))
        {
            notFoundWhen = compiler.CompileCondition(notFoundNode, "not_found_when");
        }

        (PathExpr, string)? errorCode = null;
        if (document["error_code"] is { } codeNode)
        {
            var codePath = codeNode is JsonObject named ? Json.Text(named["path"]) : Json.Text(codeNode);
            var codeName = codeNode is JsonObject withName ? Json.Text(withName["name"]) ?? codePath : codePath;
            var parsed = codePath is null ? null : PathExpr.TryParse(codePath, out var codeError) ?? ErrorAt("error_code", $"path: {codeError}");
            if (codePath is null)
            {
                Error("error_code", "must be a path, or { path, name }");
            }
            else if (successWhen is null && !document.ContainsKey("success_when"))
            {
                Error("error_code", "goes with success_when (the condition a successful reply meets)");
            }
            else if (parsed is not null)
            {
                errorCode = (parsed, codeName!);
            }
        }

        PathExpr? errorMessage = null;
        if (Json.Text(document["error_message"]) is { } messagePath)
        {
            errorMessage = PathExpr.TryParse(messagePath, out var pathError);
            if (errorMessage is null)
            {
                Error("error_message", $"path: {pathError}");
            }
            else if (successWhen is null && !document.ContainsKey("success_when"))
            {
                Error("error_message", "goes with success_when (the condition a successful reply meets)");
            }
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document["parameters"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                if (Json.Text(value) is { } text)
                {
                    parameters[name] = text;
                }
            }
        }

        var resilience = document["resilience"] as JsonObject;
        var attempt = Duration(resilience, "attempt_timeout");
        var total = Duration(resilience, "total_timeout");
        if (attempt is { } a && total is { } t && t < a)
        {
            Error("resilience.total_timeout", "must be at least attempt_timeout");
        }

        int? maxRetries = resilience?["max_retries"] is JsonValue retries && retries.TryGetValue<int>(out var n) ? n : null;

        if (errors.Count > before || id is null || version is null)
        {
            return null;
        }

        return new UpstreamDefinition(id, version, successWhen, errorMessage)
        {
            SuccessRequired = successRequired,
            NotFoundWhen = notFoundWhen,
            ErrorCode = errorCode,
            Description = Json.Text(document["description"]),
            FileName = file,
            FilePath = filePath,
            ContentHash = contentHash,
            Protocol = protocol,
            Method = method,
            BaseUrl = baseUrl,
            Endpoint = endpoint,
            Authentication = authentication,
            TokenPath = tokenPath,
            ClientId = Json.Text(auth?["client_id"]),
            ClientSecret = Json.Text(auth?["client_secret"]),
            SoapNamespace = soapNamespace,
            SoapOperation = soapOperation,
            SoapAction = soapAction ?? (soapNamespace is null ? null : $"{soapNamespace.TrimEnd('/')}/{soapOperation}"),
            RequestMapping = Json.Text(document["request"]) ?? $"{id}.request",
            ReplyMapping = Json.Text(document["reply"]) ?? $"{id}.reply",
            Parameters = parameters,
            AttemptTimeout = attempt,
            TotalTimeout = total,
            MaxRetries = maxRetries,
        };
    }

    private TimeSpan? Duration(JsonObject? section, string key)
    {
        if (Json.Text(section?[key]) is not { } text)
        {
            return null;
        }

        if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10))
        {
            return value;
        }

        Error($"resilience.{key}", $"'{text}' is not a duration between 00:00:00.001 and 00:10:00 (hh:mm:ss)");
        return null;
    }

    private static bool IsXmlName(string name)
    {
        try
        {
            XmlConvert.VerifyNCName(name);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private void Error(string fieldPath, string rule) => errors.Add(new MappingError(file, fieldPath, rule));

    private PathExpr? ErrorAt(string fieldPath, string rule)
    {
        Error(fieldPath, rule);
        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
