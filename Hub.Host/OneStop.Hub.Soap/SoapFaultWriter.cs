using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;
using OneStop.Schemas.Soap;

namespace OneStop.Hub.Soap;

/// <summary>
/// Writes a SOAP 1.1 fault with a <see cref="LookupFault"/> detail straight to the response, for refusals that
/// happen before SoapCore reads the message (malformed or hostile XML, size and rate limits).
/// </summary>
public static class SoapFaultWriter
{
    private const string Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <param name="code">The LookupFault code: INVALID_ARGUMENT, UNAUTHENTICATED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, …</param>
    /// <param name="client">Whether the caller is at fault (<c>s:Client</c>) or the hub (<c>s:Server</c>).</param>
    public static async Task WriteAsync(HttpContext context, int statusCode, string code, string message, bool client = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = new StringBuilder();
        using (var w = XmlWriter.Create(body, new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = Encoding.UTF8 }))
        {
            w.WriteStartElement("s", "Envelope", Envelope);
            w.WriteStartElement("s", "Body", Envelope);
            w.WriteStartElement("s", "Fault", Envelope);
            w.WriteElementString("faultcode", client ? "s:Client" : "s:Server");
            w.WriteElementString("faultstring", message);
            w.WriteStartElement("detail");
            w.WriteStartElement("LookupFault", SoapNamespaces.Lookup);
            w.WriteElementString("Code", SoapNamespaces.Lookup, code);
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
