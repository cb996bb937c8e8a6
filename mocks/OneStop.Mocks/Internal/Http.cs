using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace OneStop.Mocks.Internal;

/// <summary>A reply a mock handler computed: HTTP status and JSON body.</summary>
internal sealed record MockReply(int Status, string Json)
{
    public static MockReply Of<T>(int status, T body, JsonTypeInfo<T> type) => new(status, JsonSerializer.Serialize(body, type));
}

/// <summary>Small helpers over WireMock's request and response messages.</summary>
internal static class Http
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static IResponseMessage Json(int status, string json, params (string Name, string Value)[] headers)
    {
        var all = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new("application/json; charset=utf-8"),
            ["Cache-Control"] = new("no-store"),
        };
        foreach (var (name, value) in headers)
        {
            all[name] = new WireMockList<string>(value);
        }

        return new ResponseMessage
        {
            StatusCode = status,
            Headers = all,
            BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = Utf8.GetBytes(json) },
        };
    }

    public static IResponseMessage Json(MockReply reply) => Json(reply.Status, reply.Json);

    public static IResponseMessage Json<T>(int status, T body, JsonTypeInfo<T> type) => Json(status, JsonSerializer.Serialize(body, type));

    public static string? Header(IRequestMessage request, string name)
    {
        if (request.Headers is null)
        {
            return null;
        }

        foreach (var (key, values) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    public static string? Query(IRequestMessage request, string name) =>
        request.Query is not null && request.Query.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;

    public static string Body(IRequestMessage request) =>
        request.Body ?? (request.BodyAsBytes is { } bytes ? Utf8.GetString(bytes) : string.Empty);

    /// <summary>Parses an <c>application/x-www-form-urlencoded</c> body.</summary>
    public static Dictionary<string, string> Form(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            form[Unescape(key)] = Unescape(value);
        }

        return form;
    }

    /// <summary>Reads HTTP Basic credentials; false when the header is missing or not Basic.</summary>
    public static bool TryBasicCredentials(IRequestMessage request, out string user, out string password)
    {
        user = password = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(Header(request, "Authorization"), out var auth)
            || !string.Equals(auth.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || auth.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Utf8.GetString(Convert.FromBase64String(auth.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    public static string? BearerToken(IRequestMessage request) =>
        AuthenticationHeaderValue.TryParse(Header(request, "Authorization"), out var auth)
        && string.Equals(auth.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? auth.Parameter
            : null;

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
