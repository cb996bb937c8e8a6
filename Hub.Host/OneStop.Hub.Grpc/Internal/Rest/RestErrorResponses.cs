using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OneStop.Hub.Grpc.Internal.Rest;

/// <summary>
/// Gives every error answered under <c>/api/</c> the one JSON shape <c>{code, message, field, upstream}</c>, whoever
/// produced it: gRPC JSON transcoding (which writes a <c>google.rpc.Status</c>), routing (404, 405), the rate limiter, or
/// a size limit. Successful responses pass straight through (streams stay streams); only an error body is held and
/// rewritten. A 401 also gets the authentication challenge (<c>WWW-Authenticate</c>) of the hub's default scheme.
/// </summary>
internal sealed class RestErrorResponses(RequestDelegate next)
{
    private const int MaxHeldBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(RestEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var original = context.Response.Body;
        var body = new ErrorHoldingStream(original, context.Response);
        context.Response.Body = body;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            // Whatever the response writer still buffers reaches the holding stream before it is taken away.
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Response.Body = original;
        }

        if (context.Response.StatusCode < 400 || (context.Response.HasStarted && !body.Holding))
        {
            return;
        }

        var httpStatus = context.Response.StatusCode;
        var error = Read(body.Held, httpStatus);
        error = error with
        {
            Field = error.Field ?? context.Items[RestError.FieldItem] as string,
            Upstream = error.Upstream ?? context.Items[RestError.UpstreamItem] as string,
        };
        context.Response.Headers.ContentLength = null;
        if (httpStatus == StatusCodes.Status401Unauthorized)
        {
            await context.ChallengeAsync().ConfigureAwait(false);
        }

        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(original, error, RestError.Json.RestError, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The error of a held body: already in the hub's shape (the JSON guard), a google.rpc.Status (from transcoding, code
    /// as a number), or a plain text reason (rate limiter); an empty body gets a reason from its HTTP status.
    /// </summary>
    private static RestError Read(MemoryStream held, int httpStatus)
    {
        var fallback = RestError.FromHttpStatus(httpStatus);
        if (held.Length > 0)
        {
            try
            {
                using var json = JsonDocument.Parse(held.ToArray());
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                    && root.TryGetProperty("code", out var c))
                {
                    var code = c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var number) ? RestError.CodeName((StatusCode)number)
                        : c.ValueKind == JsonValueKind.String ? c.GetString()! : RestError.CodeName(fallback);
                    return new RestError(code, m.GetString() ?? "", Text(root, "field"), Text(root, "upstream"));
                }
            }
            catch (JsonException)
            {
                // Not JSON: the body is a plain reason (rate limiter, guards of other transports).
            }

            var text = Encoding.UTF8.GetString(held.GetBuffer(), 0, (int)Math.Min(held.Length, 1024)).Trim();
            if (text.Length > 0)
            {
                return new RestError(RestError.CodeName(fallback), text, null, null);
            }
        }

        return new RestError(RestError.CodeName(fallback), httpStatus switch
        {
            StatusCodes.Status404NotFound => "no route: see /openapi/v1.json for the routes of this hub",
            StatusCodes.Status405MethodNotAllowed => "this route does not take this HTTP method: see /openapi/v1.json",
            StatusCodes.Status413PayloadTooLarge => $"the request body is over {RestEndpoints.MaxRequestBytes} bytes",
            StatusCodes.Status401Unauthorized => "no credentials: send Authorization: Bearer <token from POST /token> or x-api-key",
            _ => $"HTTP {httpStatus}",
        }, null, null);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Passes writes through while the status is a success; from the first write of an error status on, holds them.</summary>
    private sealed class ErrorHoldingStream(Stream inner, HttpResponse response) : Stream
    {
        private bool? _holding;

        public MemoryStream Held { get; } = new();

        public bool Holding => _holding == true;

        private bool Hold()
        {
            _holding ??= response.StatusCode >= 400 && !response.HasStarted;
            return _holding.Value;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
            if (!Hold())
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Hold() ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!Hold())
            {
                inner.Write(buffer);
            }
            else if (Held.Length < MaxHeldBytes)
            {
                Held.Write(buffer);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!Hold())
            {
                return inner.WriteAsync(buffer, cancellationToken);
            }

            if (Held.Length < MaxHeldBytes)
            {
                Held.Write(buffer.Span);
            }

            return ValueTask.CompletedTask;
        }
    }
}
