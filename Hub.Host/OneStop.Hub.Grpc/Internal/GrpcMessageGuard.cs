using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>
/// Reads the request message of unary and server-streaming gRPC calls before the gRPC handler does (peeking,
/// without consuming it) and answers INVALID_ARGUMENT, naming the message type and the protobuf error, when it
/// does not parse. Grpc.AspNetCore would otherwise answer UNKNOWN "Exception was thrown by handler." for bytes
/// that are not the message they claim to be. Incomplete frames, oversized messages and unknown codecs are left
/// to Grpc.AspNetCore, which answers those precisely itself.
/// </summary>
internal sealed class GrpcMessageGuard(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<IMethod, (string Type, Delegate Deserialize)?> Deserializers = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true
            || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc
            || grpc.Method.Type is not (MethodType.Unary or MethodType.ServerStreaming)
            || Deserializers.GetOrAdd(grpc.Method, Describe) is not { } target)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // gRPC enforces its own message size limit (it lifts Kestrel's body limit the same way).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        if (await Check(context, target.Type, target.Deserialize).ConfigureAwait(false) is { } problem)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(problem);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static async Task<string?> Check(HttpContext context, string type, Delegate deserialize)
    {
        var reader = context.Request.BodyReader;
        var header = await reader.ReadAtLeastAsync(5, context.RequestAborted).ConfigureAwait(false);
        if (header.Buffer.Length < 5)
        {
            reader.AdvanceTo(header.Buffer.Start, header.Buffer.End);
            return null;
        }

        Span<byte> prefix = stackalloc byte[5];
        header.Buffer.Slice(0, 5).CopyTo(prefix);
        var compressed = prefix[0] == 1;
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        if (length > GrpcEndpoints.MaxMessageBytes || prefix[0] > 1 || (compressed && encoding != "gzip"))
        {
            reader.AdvanceTo(header.Buffer.Start, header.Buffer.End);
            return null;
        }

        reader.AdvanceTo(header.Buffer.Start, header.Buffer.End);
        var frame = await reader.ReadAtLeastAsync(5 + (int)length, context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (frame.Buffer.Length < 5 + length)
            {
                return null; // incomplete: Grpc.AspNetCore says so
            }

            var message = frame.Buffer.Slice(5, length).ToArray();
            if (compressed)
            {
                try
                {
                    using var gzip = new GZipStream(new MemoryStream(message), CompressionMode.Decompress);
                    using var plain = new MemoryStream();
                    await gzip.CopyToAsync(plain, context.RequestAborted).ConfigureAwait(false);
                    if (plain.Length > GrpcEndpoints.MaxMessageBytes)
                    {
                        return null; // over the limit once decompressed: Grpc.AspNetCore answers RESOURCE_EXHAUSTED
                    }

                    message = plain.ToArray();
                }
                catch (InvalidDataException)
                {
                    return "the request message is declared gzip-compressed but is not valid gzip";
                }
            }

            try
            {
                deserialize.DynamicInvoke(new Payload(message));
                return null;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // Protobuf's messages describe the encoding (tags, lengths), never field values.
                return $"the request is not a valid {type}: {e.InnerException.Message}";
            }
        }
        finally
        {
            reader.AdvanceTo(frame.Buffer.Start, frame.Buffer.End);
        }
    }

    private static (string, Delegate)? Describe(IMethod method)
    {
        var marshaller = method.GetType().GetProperty("RequestMarshaller")?.GetValue(method);
        var deserializer = marshaller?.GetType().GetProperty("ContextualDeserializer")?.GetValue(marshaller) as Delegate;
        var type = method.GetType().IsGenericType ? method.GetType().GetGenericArguments()[0] : null;
        return deserializer is null || type is null ? null : (type.FullName ?? type.Name, deserializer);
    }

    private sealed class Payload(byte[] message) : DeserializationContext
    {
        public override int PayloadLength => message.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])message.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(message);
    }
}
