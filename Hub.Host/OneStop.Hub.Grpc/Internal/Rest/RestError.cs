using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace OneStop.Hub.Grpc.Internal.Rest;

/// <summary>
/// The error body of every JSON route: <c>{code, message, field, upstream}</c>, <c>code</c> being the gRPC status name
/// (the same words as gRPC statuses and SOAP faults), with the HTTP status that matches it.
/// </summary>
internal sealed record RestError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("upstream")] string? Upstream)
{
    /// <summary>HttpContext items where the exception interceptor leaves the field and upstream of a refused call.</summary>
    public const string FieldItem = "onestop:error-field";
    public const string UpstreamItem = "onestop:error-upstream";

    public static string CodeName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Internal => "INTERNAL",
        _ => "UNKNOWN",
    };

    /// <summary>The HTTP status of a gRPC status, as gRPC JSON transcoding maps it (google.rpc.Code mapping).</summary>
    public static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The gRPC status of an HTTP error answered outside a gRPC method (routing, size limits, rate limits).</summary>
    public static StatusCode FromHttpStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType => StatusCode.InvalidArgument,
        StatusCodes.Status401Unauthorized => StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status405MethodNotAllowed or StatusCodes.Status501NotImplemented => StatusCode.Unimplemented,
        StatusCodes.Status409Conflict => StatusCode.Aborted,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests or StatusCodes.Status431RequestHeaderFieldsTooLarge => StatusCode.ResourceExhausted,
        StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
        StatusCodes.Status504GatewayTimeout => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    public static async Task WriteAsync(HttpContext context, int httpStatus, StatusCode code, string message, string? field = null)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new RestError(CodeName(code), message, field, null), Json.RestError, context.RequestAborted)
            .ConfigureAwait(false);
    }

    /// <summary>Serialization of errors: Vietnamese text as UTF-8, not \u escapes (as the transcoder writes replies).</summary>
    internal static RestJsonContext Json { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RestError))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
