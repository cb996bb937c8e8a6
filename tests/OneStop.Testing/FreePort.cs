using System.Net;
using System.Net.Sockets;

namespace OneStop.Testing;

public static class FreePort
{
    /// <summary>A loopback port free right now (the OS picks it); bind it soon.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
