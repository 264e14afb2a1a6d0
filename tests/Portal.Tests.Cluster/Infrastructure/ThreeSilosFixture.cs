namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// Three silo processes on one fresh database, shared by the concurrency tests (they never stop a silo), with one
/// Orleans client per silo that enters the cluster only through that silo's gateway, plus one that finds the
/// gateways in the membership table as the web does.
/// </summary>
public sealed class ThreeSilosFixture : IAsyncLifetime
{
    private PortalCluster? _cluster;

    public PortalCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    /// <summary>Client i talks to silo i+1's gateway only.</summary>
    public IReadOnlyList<IClusterClient> PinnedClients { get; private set; } = [];

    /// <summary>Gateways from the ADO.NET membership table, like the web in client mode.</summary>
    public IClusterClient MembershipClient { get; private set; } = null!;

    public IReadOnlyList<IClusterClient> AllClients => [.. PinnedClients, MembershipClient];

    public async Task InitializeAsync()
    {
        if (ClusterDatabase.SkipRequested)
        {
            return;
        }

        _cluster = await PortalCluster.StartAsync("concurrency", silos: 3, web: false);
        try
        {
            var pinned = new List<IClusterClient>();
            foreach (var silo in _cluster.Silos)
            {
                pinned.Add(await _cluster.ConnectClientAsync(silo));
            }

            PinnedClients = pinned;
            MembershipClient = await _cluster.ConnectClientAsync();
        }
        catch
        {
            await _cluster.DisposeAsync();
            _cluster = null;
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
