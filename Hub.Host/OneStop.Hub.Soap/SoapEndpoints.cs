using System.ServiceModel.Channels;
using System.Xml;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OneStop.Hub.Soap.Internal;
using OneStop.Schemas.Soap;
using SoapCore;

namespace OneStop.Hub.Soap;

public static class SoapEndpoints
{
    public const string LookupPath = "/soap/lookup";

    /// <summary>The generic lookup: upstreams defined by configuration and mapping files only.</summary>
    public const string GenericLookupPath = "/soap/generic-lookup";

    /// <summary>SOAP services (SoapCore) with their fault translation.</summary>
    public static IHostApplicationBuilder AddOneStopSoap(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSoapCore();
        builder.Services.TryAddSingleton<SoapFaults>();
        builder.Services.TryAddSingleton<LookupSoapService>();
        builder.Services.TryAddSingleton<GenericLookupSoapService>();
        return builder;
    }

    /// <summary>Maps <c>/soap/lookup</c> and <c>/soap/generic-lookup</c> (SOAP 1.1, document/literal, WSDL at <c>?wsdl</c>).</summary>
    public static IEndpointRouteBuilder MapOneStopSoap(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSoapEndpoint<LookupSoapService>(options => Configure(options, LookupPath, "LookupServiceSoap"));
        app.UseSoapEndpoint<GenericLookupSoapService>(options => Configure(options, GenericLookupPath, "GenericLookupServiceSoap"));
        return app;
    }

    private static void Configure(SoapCoreOptions options, string path, string name)
    {
        options.Path = path;
        options.SoapSerializer = SoapSerializer.DataContractSerializer;
        options.EncoderOptions =
        [
            new SoapEncoderOptions
            {
                MessageVersion = MessageVersion.Soap11,
                ReaderQuotas = new XmlDictionaryReaderQuotas
                {
                    MaxDepth = 32,
                    MaxStringContentLength = 64 * 1024,
                    MaxArrayLength = 64 * 1024,
                    MaxNameTableCharCount = 16 * 1024,
                    MaxBytesPerRead = 4096,
                },
                BindingName = name,
                PortName = name,
            },
        ];
        options.IndentXml = false;
    }
}
