using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// Ports the OS reports free right now. Orleans advertises the port it is given, so it cannot be handed port 0;
/// the tests ask the OS instead and remember the ports, so a restarted silo comes back on the same endpoint.
/// </summary>
public static class FreePorts
{
    /// <summary><paramref name="count"/> distinct ports: every listener stays open until all were taken.</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
