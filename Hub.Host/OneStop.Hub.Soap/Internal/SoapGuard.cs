using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace OneStop.Hub.Soap.Internal;

/// <summary>
/// Stands before every SOAP endpoint (<c>/soap/*</c>): refuses, with a precise SOAP fault and before any XML
/// reaches SoapCore, a body over the size limit, a content type that is not SOAP 1.1, XML that is not well formed,
/// any DTD or entity declaration (nothing is expanded, no external resource is read), a SOAP 1.2 envelope
/// (VersionMismatch), and an envelope whose Body is missing, empty or holds more than one operation. It also turns what
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
        if (contentType.StartsWith("application/soap+xml", StringComparison.OrdinalIgnoreCase))
        {
            // SOAP 1.2's media type. The endpoints are SOAP 1.1 only (their WSDL declares only a SOAP 1.1 binding).
            await SoapFaultWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, "UNIMPLEMENTED", Soap12Refused,
                SoapFaultWriter.VersionMismatch).ConfigureAwait(false);
            return;
        }

        if (!contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase))
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
                await SoapFaultWriter.WriteAsync(context, refusal.HttpStatus, refusal.Code, refusal.Message, refusal.FaultCode, refusal.Field).ConfigureAwait(false);
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

    private const string Soap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    private const string Soap12Refused =
        "this endpoint speaks SOAP 1.1 only: send a SOAP 1.1 envelope (http://schemas.xmlsoap.org/soap/envelope/) as Content-Type text/xml, as its WSDL (?wsdl) declares";

    /// <summary>Why a request is refused before SoapCore reads it: HTTP status, LookupFault code, SOAP 1.1 fault code, message.</summary>
    internal sealed record Refusal(int HttpStatus, string Code, string FaultCode, string Message, string? Field = null)
    {
        public static Refusal Invalid(string message, string? field = null) => new(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", SoapFaultWriter.Client, message, field);
    }

    /// <summary>
    /// Reads the whole body once with DTDs prohibited, then checks it is one SOAP 1.1 call: an <c>Envelope</c> in the
    /// SOAP 1.1 namespace (another namespace, such as SOAP 1.2's, is a <c>VersionMismatch</c>) whose <c>Body</c> holds
    /// exactly one element, the operation's. Returns why it is refused, or null.
    /// </summary>
    internal static async Task<Refusal?> Check(Stream body, CancellationToken cancellationToken)
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
        string? rootName = null, rootNamespace = null;
        var bodies = 0;
        var inBody = false;
        var bodyElements = 0;
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
                    return Refusal.Invalid($"XML nested deeper than {SoapEndpoints.MaxDepth} levels is refused");
                }

                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 1)
                {
                    inBody = false;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.Depth)
                {
                    case 0:
                        rootName = reader.LocalName;
                        rootNamespace = reader.NamespaceURI;
                        break;
                    case 1 when reader.LocalName == "Body" && reader.NamespaceURI == Soap11Envelope:
                        bodies++;
                        inBody = !reader.IsEmptyElement;
                        break;
                    case 2 when inBody:
                        bodyElements++;
                        break;
                    default:
                        break;
                }
            }
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return Refusal.Invalid("XML with a DTD (DOCTYPE or ENTITY declaration) is refused: nothing was expanded or read");
        }
        catch (XmlException e)
        {
            // The reader's message can quote names from the document: give the position only.
            return Refusal.Invalid(e.LineNumber > 0
                ? $"malformed XML at line {e.LineNumber}, position {e.LinePosition}"
                : "malformed XML (empty or not XML)");
        }

        if (rootName != "Envelope")
        {
            return Refusal.Invalid($"not a SOAP message: the document element must be Envelope in {Soap11Envelope}");
        }

        if (rootNamespace != Soap11Envelope)
        {
            return new Refusal(StatusCodes.Status500InternalServerError, "UNIMPLEMENTED", SoapFaultWriter.VersionMismatch, Soap12Refused);
        }

        return (bodies, bodyElements) switch
        {
            (0, _) => Refusal.Invalid("Body: the SOAP envelope has no Body element; it must hold the operation's element (see ?wsdl)", "Body"),
            (> 1, _) => Refusal.Invalid($"Body: the SOAP envelope has {bodies} Body elements; it must have one", "Body"),
            (_, 0) => Refusal.Invalid("Body: the SOAP Body is empty; it must hold the operation's element (see ?wsdl)", "Body"),
            (_, > 1) => Refusal.Invalid($"Body: the SOAP Body holds {bodyElements} elements; a call holds exactly one, the operation's element", "Body"),
            _ => null,
        };
    }

    private static Task TooLarge(HttpContext context) =>
        SoapFaultWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "RESOURCE_EXHAUSTED",
            $"SOAP message larger than {SoapEndpoints.MaxRequestBytes} bytes");

    [LoggerMessage(Level = LogLevel.Warning, Message = "SOAP request to {Path} refused after SoapCore threw {ExceptionType}")]
    private static partial void LogRefused(ILogger logger, string exceptionType, PathString path);
}
