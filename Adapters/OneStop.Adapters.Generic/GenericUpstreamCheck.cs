using Microsoft.Extensions.Configuration;
using OneStop.Mappings;

namespace OneStop.Adapters.Generic;

/// <summary>
/// What the hub needs of an upstream definition beyond the file being valid, checked before a catalog is used:
/// an address and credentials (from the file or configuration), and, for SOAP, a reply mapping that reads XML text.
/// </summary>
internal sealed class GenericUpstreamCheck(IConfiguration configuration) : IMappingCatalogCheck
{
    public IEnumerable<MappingError> Check(MappingCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var upstream in catalog.Upstreams)
        {
            var options = GenericUpstreamClients.Options(upstream, configuration);
            var section = $"{UpstreamServiceCollectionExtensions.Section}:{upstream.Id}";
            if (options.BaseUrl is null)
            {
                yield return new MappingError(upstream.FileName, "base_url", $"no base_url in the file and no {section}:BaseUrl in configuration");
            }

            if (options.Auth == UpstreamAuthMode.ClientCredentials && (options.ClientId.Length == 0 || options.ClientSecret.Length == 0))
            {
                yield return new MappingError(upstream.FileName, "auth",
                    $"client-credentials needs client_id and client_secret (in the file, or {section}:ClientId and {section}:ClientSecret in configuration)");
            }

            if (options.TotalTimeout < options.AttemptTimeout)
            {
                yield return new MappingError(upstream.FileName, "resilience.total_timeout", "must be at least attempt_timeout");
            }

            if (upstream.Protocol == UpstreamProtocol.Soap && catalog.TryGet(upstream.ReplyMapping, out var reply) && reply.RootParse != "xml")
            {
                yield return new MappingError(upstream.FileName, "reply",
                    $"{reply.FileName} must start with root: {{ parse: xml, then: Envelope.Body.… }}: a SOAP upstream's reply mapping receives the reply's XML text");
            }
        }
    }
}
