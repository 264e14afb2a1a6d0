using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Portal.Silo.Hosting;

/// <summary>Which address a silo tells the membership table (and so other silos and clients) to reach it on.</summary>
public static class SiloAddressing
{
    public static IPAddress ResolveAdvertisedAddress(string? configured, bool embedded)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.Parse(configured);
        }

        // An embedded silo is the only member of its cluster and must not be reachable from the network.
        if (embedded)
        {
            return IPAddress.Loopback;
        }

        return FirstNonLoopbackIPv4() ?? IPAddress.Loopback;
    }

    /// <summary>The first IPv4 address of an interface that is up; null on a machine with loopback only.</summary>
    public static IPAddress? FirstNonLoopbackIPv4() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
