using Grpc.Core;
using Grpc.Core.Interceptors;

namespace OneStop.Testing;

/// <summary>gRPC calls as a registered client: every call carries its API key (<c>x-api-key</c>).</summary>
public static class ClientCalls
{
    /// <summary>The demo configuration's client with every right, admin included.</summary>
    public const string DemoKey = "onestop-demo-key";

    public static CallInvoker WithApiKey(this ChannelBase channel, string key = DemoKey)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Intercept(metadata =>
        {
            metadata.Add("x-api-key", key);
            return metadata;
        });
    }
}
