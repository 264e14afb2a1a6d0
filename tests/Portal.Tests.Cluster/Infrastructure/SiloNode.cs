using System.Net;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>One silo of a test cluster: its fixed loopback ports and, while it runs, its process.</summary>
public sealed class SiloNode(int index, int siloPort, int gatewayPort, int healthPort, int dashboardPort)
{
    public int Index { get; } = index;
    public string Name => $"silo{Index}";
    public int SiloPort { get; } = siloPort;
    public int GatewayPort { get; } = gatewayPort;
    public int HealthPort { get; } = healthPort;
    public int DashboardPort { get; } = dashboardPort;
    public PortalProcess? Process { get; internal set; }
    public bool IsRunning => Process is { HasExited: false };
    public IPEndPoint Gateway => new(IPAddress.Loopback, GatewayPort);
    public Uri ReadyUri => new($"http://127.0.0.1:{HealthPort}/health/ready");

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Portal__Orleans__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal__Orleans__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal__Orleans__HealthPort"] = HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal__Orleans__DashboardPort"] = DashboardPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal__Orleans__AdvertisedAddress"] = "127.0.0.1",
    };
}
