using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Live;

/// <summary>Counters that tests and the load generator read to see what a node subscribed to.</summary>
public sealed record LiveNodeStats(
    string NodeId, int PortalConnections, int StaffConnections, int WatchedProjects, int WatchedFeeds,
    long ProjectSubscribes, long ProjectUnsubscribes, long FeedSubscribes, long FeedUnsubscribes, long EventsRelayed);

/// <summary>
/// The web node's side of live updates. It keeps one grain observer per watched project and per company feed,
/// reference-counted by this node's SignalR connections: the first connection to watch subscribes, the last one
/// to leave unsubscribes, and <see cref="RefreshAsync"/> renews the subscriptions before the grains let them
/// expire. Events go to SignalR groups on this node only, so several nodes need no backplane.
/// </summary>
public sealed class LiveRegistry(
    IGrainFactory grains,
    IHubContext<PortalHub> portalHub,
    IHubContext<StaffHub> staffHub,
    ILogger<LiveRegistry> logger)
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReferenceGrace = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, ProjectWatch> _projects = [];
    private readonly Dictionary<Guid, FeedWatch> _feeds = [];
    private readonly Dictionary<(Guid Project, Guid Client), (Guid Company, PresenceEntry Entry, int Count)> _presence = [];
    private readonly HashSet<Guid> _presenceCompanies = [];
    private readonly Channel<Func<Task>> _presenceReports = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private long _projectSubscribes;
    private long _projectUnsubscribes;
    private long _feedSubscribes;
    private long _feedUnsubscribes;
    private long _eventsRelayed;

    /// <summary>Names this node in presence reports; a restarted process is a new node.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public LiveNodeStats Stats
    {
        get
        {
            lock (_gate)
            {
                return new LiveNodeStats(
                    NodeId,
                    _connections.Values.Count(c => c.Kind == LiveConnectionKind.Portal),
                    _connections.Values.Count(c => c.Kind == LiveConnectionKind.Staff),
                    _projects.Count, _feeds.Count,
                    Interlocked.Read(ref _projectSubscribes), Interlocked.Read(ref _projectUnsubscribes),
                    Interlocked.Read(ref _feedSubscribes), Interlocked.Read(ref _feedUnsubscribes),
                    Interlocked.Read(ref _eventsRelayed));
            }
        }
    }

    /// <summary>How many of this node's connections watch the project (0 when the node does not observe it).</summary>
    public int WatchersOf(Guid projectId)
    {
        lock (_gate)
        {
            return _projects.TryGetValue(projectId, out var watch) ? watch.Connections.Count : 0;
        }
    }

    /// <summary>Registers a connection and subscribes the node to its company's feed (revoked links, staff events).</summary>
    public async Task<FeedSnapshot> ConnectAsync(LiveConnection connection)
    {
        FeedWatch feed;
        lock (_gate)
        {
            _connections[connection.ConnectionId] = connection;
            if (!_feeds.TryGetValue(connection.CompanyId, out feed!))
            {
                feed = new FeedWatch(connection.CompanyId, this);
                _feeds[connection.CompanyId] = feed;
                feed.Ready = SubscribeFeedAsync(feed);
            }
            feed.Connections.Add(connection.ConnectionId);
        }
        try
        {
            return await feed.Ready;
        }
        catch (Exception failure)
        {
            // The page still works without it: refresh retries, and it re-checks links itself.
            logger.LogWarning(failure, "Could not subscribe to the feed of company {CompanyId}; retrying on the next refresh", connection.CompanyId);
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
        foreach (var projectId in projects)
        {
            await UnwatchProjectAsync(connection, projectId);
        }
        FeedWatch? released = null;
        lock (_gate)
        {
            if (_feeds.TryGetValue(connection.CompanyId, out var feed) && feed.Connections.Remove(connectionId) && feed.Connections.Count == 0)
            {
                _feeds.Remove(connection.CompanyId);
                released = feed;
            }
        }
        if (released is not null)
        {
            await ReleaseFeedAsync(released);
        }
    }

    /// <summary>
    /// Adds the connection to the project's watchers (subscribing the node if it is the first) and returns the
    /// newest version the node knows. The caller adds the connection to the SignalR group first, so every change
    /// after the returned version reaches it.
    /// </summary>
    public async Task<long> WatchProjectAsync(LiveConnection connection, ProjectView project, bool presence)
    {
        ProjectWatch watch;
        PresenceEntry? joined = null;
        lock (_gate)
        {
            if (connection.Closed)
            {
                throw new HubException("The connection is closing.");
            }
            if (!_projects.TryGetValue(project.Id, out watch!))
            {
                watch = new ProjectWatch(project.Id, this);
                _projects[project.Id] = watch;
                watch.Ready = SubscribeProjectAsync(watch);
            }
            if (!connection.Projects.ContainsKey(project.Id))
            {
                watch.Connections.Add(connection.ConnectionId);
                PresenceEntry? entry = null;
                if (presence && connection.ClientId is { } clientId)
                {
                    entry = new PresenceEntry(project.Id, project.Number, clientId, connection.ClientName ?? "A client");
                    joined = JoinPresence(connection.CompanyId, entry);
                }
                connection.Projects[project.Id] = entry;
            }
        }
        if (joined is not null)
        {
            QueuePresence(connection.CompanyId, joined, viewing: true);
        }
        long version;
        try
        {
            version = await watch.Ready;
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
        ProjectWatch? released = null;
        PresenceEntry? left = null;
        lock (_gate)
        {
            if (!connection.Projects.Remove(projectId, out var entry))
            {
                return;
            }
            if (_projects.TryGetValue(projectId, out var watch) && watch.Connections.Remove(connection.ConnectionId) && watch.Connections.Count == 0)
            {
                _projects.Remove(projectId);
                released = watch;
            }
            if (entry is not null)
            {
                left = LeavePresence(entry);
            }
        }
        if (left is not null)
        {
            QueuePresence(connection.CompanyId, left, viewing: false);
        }
        if (released is not null)
        {
            await ReleaseProjectAsync(released);
        }
    }

    internal async Task RelayProjectChangeAsync(ProjectWatch watch, ProjectChanged change)
    {
        // Raised before sending: a connection joining now either reads this version from Watch or gets the event.
        if (!watch.Advance(change.Version))
        {
            return;
        }
        Interlocked.Increment(ref _eventsRelayed);
        try
        {
            await portalHub.Clients.Group(LiveGroups.Project(change.ProjectId))
                .SendAsync(LiveGroups.ProjectChangedMethod, LiveMessages.From(change));
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not relay version {Version} of project {ProjectId}", change.Version, change.ProjectId);
        }
    }

    internal async Task RelayFeedItemAsync(FeedWatch feed, FeedItem item)
    {
        try
        {
            await staffHub.Clients.Group(LiveGroups.Staff(feed.CompanyId))
                .SendAsync(LiveGroups.FeedItemMethod, LiveMessages.From(item, feed.TimeZone));
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not relay a feed item of company {CompanyId}", feed.CompanyId);
        }
    }

    internal async Task RelayPresenceAsync(FeedWatch feed, PresenceChanged change)
    {
        try
        {
            await staffHub.Clients.Group(LiveGroups.Staff(feed.CompanyId))
                .SendAsync(LiveGroups.PresenceMethod, LiveMessages.From(change));
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not relay presence of company {CompanyId}", feed.CompanyId);
        }
    }

    /// <summary>Tells every page opened through the link that access is withdrawn, then closes its connection.</summary>
    public async Task CloseLinkAsync(Guid linkId)
    {
        List<LiveConnection> closing;
        lock (_gate)
        {
            closing = [.. _connections.Values.Where(c => c.LinkId == linkId)];
        }
        if (closing.Count == 0)
        {
            return;
        }
        logger.LogInformation("Closing {Count} portal connections of revoked link {LinkId}", closing.Count, linkId);
        var message = new AccessWithdrawnMessage("This link has been withdrawn.");
        await Task.WhenAll(closing.Select(async connection =>
        {
            try
            {
                await portalHub.Clients.Client(connection.ConnectionId).SendAsync(LiveGroups.AccessWithdrawnMethod, message);
                // Time for the message to leave before the socket is cut.
                await Task.Delay(CloseGrace);
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not tell connection {ConnectionId} its link was withdrawn", connection.ConnectionId);
            }
            finally
            {
                connection.Context.Abort();
            }
        }));
    }

    /// <summary>
    /// Renews every subscription (and retries failed ones), re-reports presence and re-checks the links of open
    /// portal pages. A project whose version moved past what the node relayed (a lost event, a grain that was
    /// reactivated elsewhere) gets a "resync" event so its pages refetch.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        List<ProjectWatch> projects;
        List<FeedWatch> feeds;
        Dictionary<Guid, List<PresenceEntry>> presence;
        HashSet<Guid> presenceCompanies;
        List<(Guid LinkId, string Hash)> links;
        lock (_gate)
        {
            projects = [.. _projects.Values];
            feeds = [.. _feeds.Values];
            presence = _presence.Values.GroupBy(p => p.Company).ToDictionary(g => g.Key, g => g.Select(p => p.Entry).ToList());
            presenceCompanies = [.. _presenceCompanies];
            _presenceCompanies.Clear();
            _presenceCompanies.UnionWith(presence.Keys);
            links = [.. _connections.Values.Where(c => c.LinkId is not null && c.LinkHash is not null)
                .Select(c => (c.LinkId!.Value, c.LinkHash!)).Distinct()];
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(projects, parallel, async (watch, _) =>
        {
            if (!watch.Ready.IsCompletedSuccessfully)
            {
                if (watch.Ready.IsCompleted)
                {
                    RetryProject(watch);
                }
                return;
            }
            try
            {
                var version = await grains.GetGrain<IProjectGrain>(watch.ProjectId).Subscribe(watch.Reference!);
                if (watch.Advance(version))
                {
                    await portalHub.Clients.Group(LiveGroups.Project(watch.ProjectId))
                        .SendAsync(LiveGroups.ProjectChangedMethod, LiveMessages.Resynchronise(watch.ProjectId, version), cancellationToken);
                }
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not renew the subscription to project {ProjectId}", watch.ProjectId);
            }
        });

        await Parallel.ForEachAsync(feeds, parallel, async (feed, _) =>
        {
            if (!feed.Ready.IsCompletedSuccessfully)
            {
                if (feed.Ready.IsCompleted)
                {
                    RetryFeed(feed);
                }
                return;
            }
            try
            {
                await grains.GetGrain<ICompanyFeedGrain>(feed.CompanyId).Subscribe(feed.Reference!);
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not renew the subscription to the feed of company {CompanyId}", feed.CompanyId);
            }
        });

        // Companies that had viewers at the last refresh and have none now are told so with an empty set.
        presenceCompanies.UnionWith(presence.Keys);
        foreach (var companyId in presenceCompanies)
        {
            var viewing = presence.GetValueOrDefault(companyId) ?? [];
            await _presenceReports.Writer.WriteAsync(
                () => grains.GetGrain<ICompanyFeedGrain>(companyId).ReportPresence(new NodePresence(NodeId, viewing)), cancellationToken);
        }

        await Parallel.ForEachAsync(links, parallel, async (link, _) =>
        {
            try
            {
                await grains.GetGrain<IPortalLinkGrain>(link.Hash).Resolve();
            }
            catch (PortalRuleViolation)
            {
                await CloseLinkAsync(link.LinkId);
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not re-check portal link {LinkId}", link.LinkId);
            }
        });
    }

    /// <summary>Sends presence reports to the feed grains one at a time, so a join and a leave never overtake each other.</summary>
    public async Task PumpPresenceAsync(CancellationToken cancellationToken)
    {
        await foreach (var report in _presenceReports.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await report();
            }
            catch (Exception failure)
            {
                // The periodic full report repairs what a lost one left wrong.
                logger.LogWarning(failure, "Could not report presence");
            }
        }
    }

    private void QueuePresence(Guid companyId, PresenceEntry entry, bool viewing) =>
        _presenceReports.Writer.TryWrite(() => grains.GetGrain<ICompanyFeedGrain>(companyId).UpdatePresence(NodeId, entry, viewing));

    private PresenceEntry? JoinPresence(Guid companyId, PresenceEntry entry)
    {
        var key = (entry.ProjectId, entry.ClientId);
        var count = _presence.TryGetValue(key, out var known) ? known.Count : 0;
        _presence[key] = (companyId, count == 0 ? entry : known.Entry, count + 1);
        return count == 0 ? entry : null;
    }

    private PresenceEntry? LeavePresence(PresenceEntry entry)
    {
        var key = (entry.ProjectId, entry.ClientId);
        if (!_presence.TryGetValue(key, out var known))
        {
            return null;
        }
        if (known.Count > 1)
        {
            _presence[key] = known with { Count = known.Count - 1 };
            return null;
        }
        _presence.Remove(key);
        return known.Entry;
    }

    private async Task<long> SubscribeProjectAsync(ProjectWatch watch)
    {
        await Task.Yield();
        watch.Reference ??= grains.CreateObjectReference<IProjectObserver>(watch);
        var version = await grains.GetGrain<IProjectGrain>(watch.ProjectId).Subscribe(watch.Reference);
        Interlocked.Increment(ref _projectSubscribes);
        watch.Advance(version);
        return version;
    }

    private void RetryProject(ProjectWatch watch)
    {
        lock (_gate)
        {
            if (_projects.TryGetValue(watch.ProjectId, out var current) && current == watch && watch.Ready.IsFaulted)
            {
                watch.Ready = SubscribeProjectAsync(watch);
            }
        }
    }

    private Task ReleaseProjectAsync(ProjectWatch watch) =>
        ReleaseAsync(
            watch.Ready, () => watch.Reference,
            reference => grains.GetGrain<IProjectGrain>(watch.ProjectId).Unsubscribe(reference),
            () => Interlocked.Increment(ref _projectUnsubscribes),
            "project", watch.ProjectId);

    private async Task<FeedSnapshot> SubscribeFeedAsync(FeedWatch feed)
    {
        await Task.Yield();
        try
        {
            feed.TimeZone = (await grains.GetGrain<ICompanyGrain>(feed.CompanyId).Get()).TimeZone;
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not read the time zone of company {CompanyId}", feed.CompanyId);
        }
        feed.Reference ??= grains.CreateObjectReference<ICompanyFeedObserver>(feed);
        var snapshot = await grains.GetGrain<ICompanyFeedGrain>(feed.CompanyId).Subscribe(feed.Reference);
        Interlocked.Increment(ref _feedSubscribes);
        return snapshot;
    }

    private void RetryFeed(FeedWatch feed)
    {
        lock (_gate)
        {
            if (_feeds.TryGetValue(feed.CompanyId, out var current) && current == feed && feed.Ready.IsFaulted)
            {
                feed.Ready = SubscribeFeedAsync(feed);
            }
        }
    }

    private Task ReleaseFeedAsync(FeedWatch feed) =>
        ReleaseAsync(
            feed.Ready, () => feed.Reference,
            reference => grains.GetGrain<ICompanyFeedGrain>(feed.CompanyId).Unsubscribe(reference),
            () => Interlocked.Increment(ref _feedUnsubscribes),
            "the feed of company", feed.CompanyId);

    /// <summary>
    /// Unsubscribes a watch once its subscription has settled (a subscription that failed has nothing to undo) and
    /// always deletes the node's observer reference (read after the subscription settled: it is created by the
    /// subscribing call). A failed unsubscribe is only logged: the grain drops the observer at its expiry anyway.
    /// </summary>
    private async Task ReleaseAsync<T>(Task ready, Func<T?> reference, Func<T, Task> unsubscribe, Action counted, string what, Guid id)
        where T : class, IGrainObserver
    {
        try
        {
            try
            {
                await ready;
            }
            catch
            {
                return;
            }
            await unsubscribe(reference()!);
            counted();
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not unsubscribe from {What} {Id}", what, id);
        }
        finally
        {
            DeleteReference(reference());
        }
    }

    private void DeleteReference<T>(T? reference) where T : class, IGrainObserver
    {
        if (reference is null)
        {
            return;
        }
        // One-way notifications sent before the grain saw the unsubscribe may still be on their way; deleting the
        // reference at once would make the runtime log them as misaddressed.
        _ = Task.Delay(ReferenceGrace).ContinueWith(_ =>
        {
            try
            {
                grains.DeleteObjectReference<T>(reference);
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not delete an observer reference");
            }
        }, TaskScheduler.Default);
    }
}
