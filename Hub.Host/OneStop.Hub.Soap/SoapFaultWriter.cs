using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;
using OneStop.Schemas.Soap;

namespace OneStop.Hub.Soap;

/// <summary>
/// Writes a SOAP 1.1 fault with a <see cref="LookupFault"/> detail straight to the response, for refusals that
/// happen before SoapCore reads the message (malformed or hostile XML, a SOAP 1.2 or bodiless envelope, size and
/// rate limits).
/// </summary>
public static class SoapFaultWriter
{
    /// <summary>SOAP 1.1 fault code: the caller's message is wrong.</summary>
    public const string Client = "Client";

    /// <summary>SOAP 1.1 fault code: the hub failed.</summary>
    public const string Server = "Server";

    /// <summary>SOAP 1.1 fault code: the envelope is not a SOAP 1.1 envelope (e.g. SOAP 1.2).</summary>
    public const string VersionMismatch = "VersionMismatch";

    private const string Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <param name="code">The LookupFault code: INVALID_ARGUMENT, UNAUTHENTICATED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, …</param>
    /// <param name="faultCode">The SOAP 1.1 fault code: <see cref="Client"/>, <see cref="Server"/> or <see cref="VersionMismatch"/>.</param>
    /// <param name="field">The element the refusal is about (LookupFault <c>Field</c>), if any.</param>
    public static async Task WriteAsync(HttpContext context, int statusCode, string code, string message, string faultCode = Client, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = new StringBuilder();
        using (var w = XmlWriter.Create(body, new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = Encoding.UTF8 }))
        {
            w.WriteStartElement("s", "Envelope", Envelope);
            w.WriteStartElement("s", "Body", Envelope);
            w.WriteStartElement("s", "Fault", Envelope);
            w.WriteElementString("faultcode", "s:" + faultCode);
            w.WriteElementString("faultstring", message);
            w.WriteStartElement("detail");
            w.WriteStartElement("LookupFault", SoapNamespaces.Lookup);
            w.WriteElementString("Code", SoapNamespaces.Lookup, code);
            if (field is not null)
            {
                w.WriteElementString("Field", SoapNamespaces.Lookup, field);
            }

            w.WriteElementString("Message", SoapNamespaces.Lookup, message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.WriteAsync(body.ToString(), Encoding.UTF8).ConfigureAwait(false);
    }
}
