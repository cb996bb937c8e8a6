using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace OneStop.IntegrationTests.StandardClients;

/// <summary>What the hub answered a hand-built SOAP request: HTTP status, the fault (code without prefix, LookupFault Code and Field), the text.</summary>
public sealed record RawSoapReply(int Http, string? FaultCode, string? Code, string? Field, string Body)
{
    public bool IsFault => FaultCode is not null;

    public override string ToString() => $"HTTP {Http} faultcode={FaultCode ?? "-"} Code={Code ?? "-"} Field={Field ?? "-"} {Body[..Math.Min(Body.Length, 300)]}";
}

/// <summary>Posts hand-built SOAP 1.1 envelopes (text/xml, SOAPAction) and reads the reply or fault.</summary>
public static class RawSoap
{
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    public static async Task<RawSoapReply> PostAsync(HttpClient http, string endpoint, string? soapAction, string xml, string? apiKey, CancellationToken ct,
        string contentType = "text/xml; charset=utf-8")
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, UriKind.Relative)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(xml)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (soapAction is not null)
        {
            request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{soapAction}\"");
        }

        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return Read((int)response.StatusCode, text);
    }

    public static RawSoapReply Read(int http, string text)
    {
        XElement? fault;
        try
        {
            fault = XDocument.Parse(text).Root?.Element(Soap + "Body")?.Element(Soap + "Fault");
        }
        catch (XmlException)
        {
            return new RawSoapReply(http, null, null, null, text);
        }

        if (fault is null)
        {
            return new RawSoapReply(http, null, null, null, text);
        }

        var code = (string?)fault.Element("faultcode") ?? "";
        string? Detail(string name) => (string?)fault.Element("detail")?.Descendants().FirstOrDefault(e => e.Name.LocalName == name);
        return new RawSoapReply(http, code[(code.IndexOf(':', StringComparison.Ordinal) + 1)..], Detail("Code"), Detail("Field"), text);
    }
}
