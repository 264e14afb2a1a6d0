using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>
/// Ports the OS reports free right now. Orleans advertises the port it binds, so it cannot be given port 0; the
/// tests ask the OS instead, which lets several silos run side by side in one test run.
/// </summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
