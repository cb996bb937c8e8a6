using System.Buffers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OneStop.Hub.Grpc.Internal.Rest;

/// <summary>
/// Stands before every JSON route with a body (<c>/api/</c>): refuses, before gRPC JSON transcoding parses anything, a
/// content type that is not JSON (415), a body over <see cref="RestEndpoints.MaxRequestBytes"/> (413), bytes that are
/// not UTF-8, JSON that is not well formed or is nested deeper than <see cref="MaxDepth"/>, a key repeated in one
/// object, and absurdly long numbers (400). The body is read once, bounded, and handed on from memory. What is left
/// (wrong types, unknown fields, out-of-range numbers) the transcoder refuses against the message itself.
/// </summary>
internal sealed class JsonGuard(RequestDelegate next)
{
    public const int MaxDepth = 32;
    private const int MaxNumberLength = 40;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(RestEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase)
            || !(request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!IsJson(request.ContentType))
        {
            await RestError.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument,
                "Content-Type must be application/json (UTF-8)").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > RestEndpoints.MaxRequestBytes)
        {
            await TooLarge(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RestEndpoints.MaxRequestBytes;
        }

        byte[] body;
        try
        {
            var read = await request.BodyReader.ReadAtLeastAsync(RestEndpoints.MaxRequestBytes + 1, context.RequestAborted).ConfigureAwait(false);
            if (read.Buffer.Length > RestEndpoints.MaxRequestBytes)
            {
                request.BodyReader.AdvanceTo(read.Buffer.End);
                await TooLarge(context).ConfigureAwait(false);
                return;
            }

            body = read.Buffer.ToArray();
            request.BodyReader.AdvanceTo(read.Buffer.End);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLarge(context).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if ((Check(body) ?? Conform(context, body)) is { } problem)
        {
            await RestError.WriteAsync(context, StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, problem.Message, problem.Field).ConfigureAwait(false);
            return;
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(context).ConfigureAwait(false);
    }

    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        if (!parts[0].Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return parts.Skip(1).All(p => !p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase)
            || p["charset=".Length..].Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What is wrong with a JSON body, naming the position or the field path; null when it is acceptable.</summary>
    internal static (string Message, string? Field)? Check(byte[] body)
    {
        if (!Utf8IsValid(body, out var badByte))
        {
            return ($"the request body is not valid UTF-8 (byte {badByte})", null);
        }

        // The reader's own limit sits one level higher, so the walk below meets the limit first and says so plainly.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        var keys = new Stack<HashSet<string>>();
        var path = new Stack<string>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && path.Count >= MaxDepth)
                {
                    return ($"the request body nests deeper than {MaxDepth} levels", null);
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.Ordinal));
                        path.Push(property ?? "");
                        property = null;
                        break;
                    case JsonTokenType.EndObject:
                        keys.Pop();
                        path.Pop();
                        break;
                    case JsonTokenType.StartArray:
                        path.Push(property ?? "");
                        property = null;
                        break;
                    case JsonTokenType.EndArray:
                        path.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        property = reader.GetString() ?? "";
                        if (!keys.Peek().Add(property))
                        {
                            var field = FieldPath(path, property);
                            return ($"{field}: the key appears twice in one object (JSON keys must be unique)", field);
                        }

                        continue;
                    case JsonTokenType.Number when reader.ValueSpan.Length > MaxNumberLength:
                        var number = FieldPath(path, property);
                        return ($"{number}: a number of more than {MaxNumberLength} characters is not a value of any field", number);
                }

                if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    property = null;
                }
            }
        }
        catch (InvalidOperationException)
        {
            return ("the request body has a key that is not valid text (an unpaired surrogate escape)", null);
        }
        catch (JsonException e)
        {
            // The reader's message quotes at most one character of the input, never a value.
            var reason = e.Message;
            var cut = reason.IndexOf(" LineNumber", StringComparison.Ordinal);
            reason = (cut > 0 ? reason[..cut] : reason).TrimEnd('.', ' ');
            return ($"the request body is not well-formed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {reason}", null);
        }

        return null;
    }

    /// <summary>The body against the route's request message (its <c>google.api.http</c> body rule).</summary>
    private static (string Message, string? Field)? Conform(HttpContext context, byte[] body)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } route)
        {
            return null;
        }

        var rule = route.HttpRule.Body;
        if (rule.Length == 0)
        {
            return ("this route takes no request body: its parameters go in the path and query", null);
        }

        using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        var input = route.MethodDescriptor.InputType;
        if (rule == "*")
        {
            return MessageConformance.Check(json.RootElement, input);
        }

        return input.FindFieldByName(rule) is { } field ? MessageConformance.CheckField(json.RootElement, field, field.JsonName) : null;
    }

    private static string FieldPath(Stack<string> path, string? last)
    {
        var parts = path.Reverse().Where(p => p.Length > 0).Append(last ?? "").Where(p => p.Length > 0);
        var text = string.Join('.', parts);
        return text.Length > 100 ? text[..100] + "…" : text;
    }

    private static bool Utf8IsValid(byte[] body, out int badByte)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(body);
            badByte = -1;
            return true;
        }
        catch (DecoderFallbackException e)
        {
            badByte = e.Index;
            return false;
        }
    }

    private static Task TooLarge(HttpContext context) =>
        RestError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted,
            $"the request body is over {RestEndpoints.MaxRequestBytes} bytes");
}
