using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace OneStop.Hub.Soap.Internal;

/// <summary>
/// Stands before every SOAP endpoint (<c>/soap/*</c>): refuses, with a precise SOAP fault and before any XML
/// reaches SoapCore, a body over the size limit, a content type that is not SOAP, XML that is not well formed,
/// and any DTD or entity declaration (nothing is expanded, no external resource is read). It also turns what
/// SoapCore throws outside an operation (unknown action, unreadable envelope) into a fault instead of an empty 500.
/// </summary>
internal sealed partial class SoapGuard(RequestDelegate next, ILogger<SoapGuard> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(SoapEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase)
            || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await SoapFaultWriter.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "INVALID_ARGUMENT", "SOAP calls are POST requests").ConfigureAwait(false);
            return;
        }

        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/soap+xml", StringComparison.OrdinalIgnoreCase))
        {
            await SoapFaultWriter.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "INVALID_ARGUMENT",
                "Content-Type must be text/xml (SOAP 1.1)").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = SoapEndpoints.MaxRequestBytes;
        }

        if (context.Request.ContentLength > SoapEndpoints.MaxRequestBytes)
        {
            await TooLarge(context).ConfigureAwait(false);
            return;
        }

        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: SoapEndpoints.MaxRequestBytes);
        try
        {
            if (await Check(context.Request.Body, context.RequestAborted).ConfigureAwait(false) is { } refusal)
            {
                await SoapFaultWriter.WriteAsync(context, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", refusal).ConfigureAwait(false);
                return;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLarge(context).ConfigureAwait(false);
            return;
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Request.Body.Position = 0;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            // SoapCore's own messages can quote the request; log the type only, answer a fixed text.
            var unknownAction = e is InvalidOperationException && e.Message.StartsWith("No operation found", StringComparison.Ordinal);
            LogRefused(logger, e.GetType().Name, context.Request.Path);
            context.Response.Clear();
            await SoapFaultWriter.WriteAsync(context, unknownAction ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
                unknownAction ? "UNIMPLEMENTED" : "INVALID_ARGUMENT",
                unknownAction ? "the SOAPAction names no operation of this endpoint (see ?wsdl)" : "the SOAP envelope could not be read").ConfigureAwait(false);
        }
    }

    /// <summary>Reads the whole body once with DTDs prohibited; returns why it is refused, or null.</summary>
    internal static async Task<string?> Check(Stream body, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = SoapEndpoints.MaxRequestBytes,
            CloseInput = false,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(body, settings);
            var depth = 0;
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                depth = Math.Max(depth, reader.Depth);
                if (depth > SoapEndpoints.MaxDepth)
                {
                    return $"XML nested deeper than {SoapEndpoints.MaxDepth} levels is refused";
                }
            }

            return null;
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return "XML with a DTD (DOCTYPE or ENTITY declaration) is refused: nothing was expanded or read";
        }
        catch (XmlException e)
        {
            // The reader's message can quote names from the document: give the position only.
            return e.LineNumber > 0
                ? $"malformed XML at line {e.LineNumber}, position {e.LinePosition}"
                : "malformed XML (empty or not XML)";
        }
    }

    private static Task TooLarge(HttpContext context) =>
        SoapFaultWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "RESOURCE_EXHAUSTED",
            $"SOAP message larger than {SoapEndpoints.MaxRequestBytes} bytes");

    [LoggerMessage(Level = LogLevel.Warning, Message = "SOAP request to {Path} refused after SoapCore threw {ExceptionType}")]
    private static partial void LogRefused(ILogger logger, string exceptionType, PathString path);
}
