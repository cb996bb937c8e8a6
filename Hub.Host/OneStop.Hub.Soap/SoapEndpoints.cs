using System.ServiceModel.Channels;
using System.Xml;
using Microsoft.AspNetCore.Builder;
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

    public const string DossierPath = "/soap/dossier";

    /// <summary>Inbound dossiers: the portal's push (NhanHoSo), and LayHoSoMoi / XacNhanDaNhan for one-stop systems.</summary>
    public const string InboundPath = "/soap/inbound";

    /// <summary>Every SOAP endpoint lives under this path; <see cref="UseOneStopSoapGuard"/> guards them all.</summary>
    public const string PathPrefix = "/soap";

    /// <summary>Largest SOAP request body the hub reads.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>Deepest XML nesting a SOAP request may have.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Refuses hostile or malformed SOAP before SoapCore reads it (size, content type, well-formedness, DTDs and
    /// entities) and turns SoapCore's own failures into faults. Call before the endpoints are mapped.
    /// </summary>
    public static IApplicationBuilder UseOneStopSoapGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<SoapGuard>();
    }

    /// <summary>The generic lookup: upstreams defined by configuration and mapping files only.</summary>
    public const string GenericLookupPath = "/soap/generic-lookup";

    /// <summary>SOAP services (SoapCore) with their fault translation.</summary>
    public static IHostApplicationBuilder AddOneStopSoap(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSoapCore();
        // SoapCore logs exception messages, which can quote request values (personal data): the guard and the
        // fault translation log what is needed instead, without values.
        Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter(builder.Logging, "SoapCore", Microsoft.Extensions.Logging.LogLevel.None);
        builder.Services.TryAddSingleton<SoapFaults>();
        builder.Services.TryAddSingleton<LookupSoapService>();
        builder.Services.TryAddSingleton<DossierSoapService>();
        // SoapCore registers its default transformer; ours replaces it and hands the hub's own faults to it.
        builder.Services.RemoveAll<SoapCore.Extensibility.IFaultExceptionTransformer>();
        builder.Services.AddSingleton<SoapCore.Extensibility.IFaultExceptionTransformer, LookupFaultTransformer>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<SoapCore.Extensibility.IServiceOperationTuner, SoapSecurityTuner>());
        builder.Services.TryAddSingleton<GenericLookupSoapService>();
        builder.Services.TryAddSingleton<InboundSoapService>();
        return builder;
    }

    /// <summary>Maps <c>/soap/lookup</c>, <c>/soap/generic-lookup</c>, <c>/soap/dossier</c> and <c>/soap/inbound</c> (SOAP 1.1, document/literal, WSDL at <c>?wsdl</c>).</summary>
    public static IEndpointRouteBuilder MapOneStopSoap(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSoapEndpoint<LookupSoapService>(options => Configure(options, LookupPath, "LookupServiceSoap"));
        app.UseSoapEndpoint<GenericLookupSoapService>(options => Configure(options, GenericLookupPath, "GenericLookupServiceSoap"));
        app.UseSoapEndpoint<DossierSoapService>(options => Configure(options, DossierPath, "DossierServiceSoap"));
        app.UseSoapEndpoint<InboundSoapService>(options => Configure(options, InboundPath, "InboundServiceSoap"));
        return app;
    }

    private static void Configure(SoapCoreOptions options, string path, string bindingName)
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
                    MaxDepth = MaxDepth,
                    MaxStringContentLength = 64 * 1024,
                    MaxArrayLength = 64 * 1024,
                    MaxNameTableCharCount = 16 * 1024,
                    MaxBytesPerRead = 4096,
                },
                BindingName = bindingName,
                PortName = bindingName,
            },
        ];
        options.IndentXml = false;
    }
}
