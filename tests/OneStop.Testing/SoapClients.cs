using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Description;
using System.ServiceModel.Dispatcher;

namespace OneStop.Testing;

/// <summary>WCF clients of the hub's SOAP endpoints that send a client's API key (<c>x-api-key</c>) on every call.</summary>
public static class SoapClients
{
    public const string DemoKey = "onestop-demo-key";

    public static ChannelFactory<T> Factory<T>(Uri endpoint, string? apiKey = DemoKey, Binding? binding = null)
    {
        var factory = new ChannelFactory<T>(binding ?? new BasicHttpBinding { MaxReceivedMessageSize = 4 * 1024 * 1024 }, new EndpointAddress(endpoint));
        if (apiKey is not null)
        {
            factory.Endpoint.EndpointBehaviors.Add(new ApiKeyBehavior(apiKey));
        }

        return factory;
    }

    private sealed class ApiKeyBehavior(string apiKey) : IEndpointBehavior, IClientMessageInspector
    {
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters)
        {
        }

        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime) => clientRuntime.ClientMessageInspectors.Add(this);

        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher)
        {
        }

        public void Validate(ServiceEndpoint endpoint)
        {
        }

        public object? BeforeSendRequest(ref Message request, IClientChannel channel)
        {
            if (!request.Properties.TryGetValue(HttpRequestMessageProperty.Name, out var property) || property is not HttpRequestMessageProperty http)
            {
                http = new HttpRequestMessageProperty();
                request.Properties[HttpRequestMessageProperty.Name] = http;
            }

            http.Headers["x-api-key"] = apiKey;
            return null;
        }

        public void AfterReceiveReply(ref Message reply, object? correlationState)
        {
        }
    }
}
