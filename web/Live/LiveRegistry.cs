using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Live;

/// <summary>
/// The web node's side of live updates: which SignalR connections are open and what each watches. It composes the
/// parts that do the work — one <see cref="NodeSubscriptions{TWatch, TObserver, TResult}"/> for projects and one
/// for company feeds (one grain observer per key, shared by the node's connections), the
/// <see cref="PresenceTracker"/> and the <see cref="LinkRechecker"/> — and relays what the observers hear to SignalR
/// groups on this node only, so several nodes need no backplane.
/// </summary>
public sealed class LiveRegistry
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromMilliseconds(500);

    private readonly IHubContext<PortalHub> _portalHub;
    private readonly IHubContext<StaffHub> _staffHub;
    private readonly PresenceTracker _presence;
    private readonly LinkRechecker _links;
    private readonly StaffRechecker _staff;
    private readonly LiveMetrics _metrics;
    private readonly ILogger<LiveRegistry> _logger;
    private readonly NodeSubscriptions<ProjectWatch, IProjectObserver, long> _projects;
    private readonly NodeSubscriptions<FeedWatch, ICompanyFeedObserver, FeedSnapshot> _feeds;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);
    private readonly int _maxWatches;

    public LiveRegistry(
        IGrainFactory grains,
        IHubContext<PortalHub> portalHub,
        IHubContext<StaffHub> staffHub,
        PresenceTracker presence,
        LinkRechecker links,
        StaffRechecker staff,
        LiveMetrics metrics,
        Microsoft.Extensions.Options.IOptions<LiveOptions> options,
        ILogger<LiveRegistry> logger)
    {
        _maxWatches = options.Value.MaxWatchesPerConnection;
        _portalHub = portalHub;
        _staffHub = staffHub;
        _presence = presence;
        _links = links;
        _staff = staff;
        _metrics = metrics;
        _logger = logger;
        _projects = new(LiveKinds.Project, id => new ProjectWatch(id, this), grains, metrics, logger);
        _feeds = new(LiveKinds.Feed, id => new FeedWatch(id, this, logger), grains, metrics, logger);
    }

    /// <summary>Names this node in presence reports; a restarted process is a new node.</summary>
    public string NodeId => _presence.NodeId;

    /// <summary>How many of this node's connections watch the project (0 when the node does not observe it).</summary>
    public int WatchersOf(Guid projectId) => _projects.HoldersOf(projectId);

    /// <summary>Registers a connection and subscribes the node to its company's feed (revoked links, staff events).</summary>
    public async Task<FeedSnapshot> ConnectAsync(LiveConnection connection)
    {
        lock (_gate)
        {
            _connections[connection.ConnectionId] = connection;
        }
        _metrics.Connected(connection.Kind, +1);
        try
        {
            return await _feeds.Acquire(connection.CompanyId, connection.ConnectionId).Ready;
        }
        catch (Exception failure)
        {
            // The page still works without it: the next refresh retries, and re-checks links itself.
            _logger.LogWarning(failure, "Could not subscribe to the feed of company {CompanyId}; retrying on the next refresh", connection.CompanyId);
            return new FeedSnapshot([], []);
        }
    }

    /// <summary>Forgets a connection: leaves its projects and its company's feed, unsubscribing where it was the last.</summary>
    public async Task DisconnectAsync(string connectionId)
    {
        LiveConnection? connection;
        List<Guid> projects;
        lock (_gate)
        {
            if (!_connections.Remove(connectionId, out connection))
            {
                return;
            }
            connection.Closed = true;
            projects = [.. connection.Projects.Keys];
        }
        _metrics.Connected(connection.Kind, -1);
        foreach (var projectId in projects)
        {
            await UnwatchProjectAsync(connection, projectId);
        }
        await _feeds.ReleaseAsync(connection.CompanyId, connectionId);
    }

    /// <summary>
    /// Adds the connection to the project's watchers (subscribing the node if it is the first) and returns the
    /// newest version the node knows. The caller adds the connection to the SignalR group first, so every change
    /// after the returned version reaches it.
    /// </summary>
    public async Task<long> WatchProjectAsync(LiveConnection connection, ProjectView project, bool presence)
    {
        ProjectWatch watch;
        Task<long> ready;
        lock (_gate)
        {
            if (connection.Closed)
            {
                throw new HubException("The connection is closing.");
            }
            if (!connection.Projects.ContainsKey(project.Id) && connection.Projects.Count >= _maxWatches)
            {
                throw new HubException($"This page already follows {_maxWatches} projects; reload it to follow others.");
            }
            (watch, ready) = _projects.Acquire(project.Id, connection.ConnectionId);
            if (!connection.Projects.ContainsKey(project.Id))
            {
                PresenceEntry? entry = null;
                if (presence && connection.ClientId is { } clientId)
                {
                    entry = new PresenceEntry(project.Id, project.Number, clientId, connection.ClientName ?? "A client");
                    _presence.Join(connection.CompanyId, entry);
                }
                connection.Projects[project.Id] = entry;
            }
        }
        long version;
        try
        {
            version = await ready;
        }
        catch
        {
            await UnwatchProjectAsync(connection, project.Id);
            throw;
        }
        return Math.Max(version, Math.Max(watch.Version, project.Version));
    }

    public async Task UnwatchProjectAsync(LiveConnection connection, Guid projectId)
    {
        lock (_gate)
        {
            if (!connection.Projects.Remove(projectId, out var entry))
            {
                return;
            }
            if (entry is not null)
            {
                _presence.Leave(connection.CompanyId, entry);
            }
        }
        await _projects.ReleaseAsync(projectId, connection.ConnectionId);
    }

    internal async Task RelayProjectChangeAsync(ProjectWatch watch, ProjectChanged change)
    {
        // Raised before sending: a connection joining now either reads this version from Watch or gets the event.
        if (!watch.Advance(change.Version))
        {
            return;
        }
        _metrics.Relayed();
        try
        {
            await _portalHub.Clients.Group(LiveGroups.Project(change.ProjectId))
                .SendAsync(LiveGroups.ProjectChangedMethod, LiveMessages.From(change));
        }
        catch (Exception failure)
        {
            _logger.LogWarning(failure, "Could not relay version {Version} of project {ProjectId}", change.Version, change.ProjectId);
        }
    }

    /// <summary>A renewal found a version the node never relayed: the project's pages refetch.</summary>
    internal Task ResynchroniseAsync(Guid projectId, long version, CancellationToken cancellationToken) =>
        _portalHub.Clients.Group(LiveGroups.Project(projectId))
            .SendAsync(LiveGroups.ProjectChangedMethod, LiveMessages.Resynchronise(projectId, version), cancellationToken);

    internal async Task RelayFeedItemAsync(FeedWatch feed, FeedItem item)
    {
        try
        {
            await _staffHub.Clients.Group(LiveGroups.Staff(feed.CompanyId))
                .SendAsync(LiveGroups.FeedItemMethod, LiveMessages.From(item, feed.TimeZone));
        }
        catch (Exception failure)
        {
            _logger.LogWarning(failure, "Could not relay a feed item of company {CompanyId}", feed.CompanyId);
        }
    }

    internal async Task RelayPresenceAsync(FeedWatch feed, PresenceChanged change)
    {
        try
        {
            await _staffHub.Clients.Group(LiveGroups.Staff(feed.CompanyId))
                .SendAsync(LiveGroups.PresenceMethod, LiveMessages.From(change));
        }
        catch (Exception failure)
        {
            _logger.LogWarning(failure, "Could not relay presence of company {CompanyId}", feed.CompanyId);
        }
    }

    /// <summary>Tells every page opened through the link that access is withdrawn, then closes its connection.</summary>
    public Task CloseLinkAsync(Guid linkId) =>
        CloseAsync(c => c.LinkId == linkId, id => _portalHub.Clients.Client(id), LiveGroups.AccessWithdrawnMethod,
            new AccessWithdrawnMessage("This link has been withdrawn."), $"portal connections of revoked link {linkId}");

    /// <summary>A person's security stamp changed: their staff hub connections on this node are told, then closed.</summary>
    public Task CloseStaffSessionsAsync(Guid userId) =>
        CloseStaffAsync(c => c.UserId == userId, "user " + userId);

    /// <summary>An API key was removed: staff hub connections that proved it (directly or through a hub token) close.</summary>
    public Task CloseApiKeyAsync(string keyHash) =>
        CloseStaffAsync(c => c.KeyHash is { } hash && string.Equals(hash, keyHash, StringComparison.OrdinalIgnoreCase), "a removed API key");

    private Task CloseStaffAsync(Func<LiveConnection, bool> match, string what) =>
        CloseAsync(c => c.Kind == LiveConnectionKind.Staff && match(c), id => _staffHub.Clients.Client(id), LiveGroups.SessionEndedMethod,
            new AccessWithdrawnMessage("Your session has ended. Sign in again."), "staff connections of " + what);

    /// <summary>Tells the matching connections why they end (<paramref name="method"/>), then closes them.</summary>
    private async Task CloseAsync(Func<LiveConnection, bool> match, Func<string, IClientProxy> client, string method, AccessWithdrawnMessage message, string what)
    {
        List<LiveConnection> closing;
        lock (_gate)
        {
            closing = [.. _connections.Values.Where(match)];
        }
        if (closing.Count == 0)
        {
            return;
        }
        _logger.LogInformation("Closing {Count} {What}", closing.Count, what);
        await Task.WhenAll(closing.Select(async connection =>
        {
            try
            {
                await client(connection.ConnectionId).SendAsync(method, message);
                // Time for the message to leave before the socket is cut.
                await Task.Delay(CloseGrace);
            }
            catch (Exception failure)
            {
                _logger.LogWarning(failure, "Could not tell connection {ConnectionId} why it closes ({What})", connection.ConnectionId, what);
            }
            finally
            {
                connection.Context.Abort();
            }
        }));
    }

    /// <summary>
    /// Renews every subscription (and retries failed ones), re-reports presence, re-checks the links of open
    /// portal pages, closing those whose link no longer opens the portal, and re-checks the sessions and keys of open
    /// staff connections, closing those whose account stamp, role or key no longer holds (a lost notice's safety net).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _projects.RenewAllAsync(cancellationToken);
        await _feeds.RenewAllAsync(cancellationToken);
        await _presence.ReportAllAsync(cancellationToken);

        List<(Guid LinkId, string Hash)> links;
        lock (_gate)
        {
            links = [.. _connections.Values.Where(c => c.LinkId is not null && c.LinkHash is not null)
                .Select(c => (c.LinkId!.Value, c.LinkHash!)).Distinct()];
        }
        foreach (var linkId in await _links.FindWithdrawnAsync(links, cancellationToken))
        {
            await CloseLinkAsync(linkId);
        }

        List<LiveConnection> staff;
        lock (_gate)
        {
            staff = [.. _connections.Values.Where(c => c.Kind == LiveConnectionKind.Staff)];
        }
        var ended = (await _staff.FindEndedAsync(staff, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (ended.Count > 0)
        {
            await CloseStaffAsync(c => ended.Contains(c.ConnectionId), "sessions or keys that no longer hold");
        }
    }
}
