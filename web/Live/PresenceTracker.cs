using System.Threading.Channels;

namespace Portal.Web.Live;

/// <summary>
/// Which clients have a page of which project open on this node, counted per (project, client): the first page
/// reports "viewing" to the company's feed grain, the last one to close reports "left". Reports go out one at a
/// time (<see cref="PumpAsync"/>), so a join and a leave never overtake each other, and <see cref="ReportAllAsync"/>
/// repeats the full set on every refresh, repairing what a lost report left wrong (the feed grain forgets a node
/// that stops reporting).
/// </summary>
public sealed class PresenceTracker(IGrainFactory grains, ILogger<PresenceTracker> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Project, Guid Client), (Guid Company, PresenceEntry Entry, int Count)> _viewing = [];
    private readonly HashSet<Guid> _reportedCompanies = [];
    /// <summary>
    /// Reports waiting for the pump. When the feed grains fall behind, the oldest wait is dropped rather than
    /// memory growing without bound; the periodic full report (<see cref="ReportAllAsync"/>) repairs what it said.
    /// </summary>
    public const int MaxQueuedReports = 1_024;

    private readonly Channel<Func<Task>> _reports = Channel.CreateBounded<Func<Task>>(
        new BoundedChannelOptions(MaxQueuedReports) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Reports waiting to go out (never more than <see cref="MaxQueuedReports"/>).</summary>
    public int QueuedReports => _reports.Reader.Count;

    /// <summary>Names this node in presence reports; a restarted process is a new node.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>A page of the project opened for the client.</summary>
    public void Join(Guid companyId, PresenceEntry entry)
    {
        lock (_gate)
        {
            var key = (entry.ProjectId, entry.ClientId);
            var count = _viewing.TryGetValue(key, out var known) ? known.Count : 0;
            _viewing[key] = (companyId, count == 0 ? entry : known.Entry, count + 1);
            if (count == 0)
            {
                // Queued under the lock, so reports about one (project, client) leave in the order they happened.
                Queue(companyId, entry, viewing: true);
            }
        }
    }

    /// <summary>A page of the project closed (or stopped watching it).</summary>
    public void Leave(Guid companyId, PresenceEntry entry)
    {
        lock (_gate)
        {
            var key = (entry.ProjectId, entry.ClientId);
            if (!_viewing.TryGetValue(key, out var known))
            {
                return;
            }
            if (known.Count > 1)
            {
                _viewing[key] = known with { Count = known.Count - 1 };
                return;
            }
            _viewing.Remove(key);
            Queue(companyId, known.Entry, viewing: false);
        }
    }

    /// <summary>
    /// Queues the node's full set per company; companies that had viewers at the last report and have none now are
    /// told so with an empty set.
    /// </summary>
    public async Task ReportAllAsync(CancellationToken cancellationToken)
    {
        Dictionary<Guid, List<PresenceEntry>> viewing;
        HashSet<Guid> companies;
        lock (_gate)
        {
            viewing = _viewing.Values.GroupBy(p => p.Company).ToDictionary(g => g.Key, g => g.Select(p => p.Entry).ToList());
            companies = [.. _reportedCompanies, .. viewing.Keys];
            _reportedCompanies.Clear();
            _reportedCompanies.UnionWith(viewing.Keys);
        }
        foreach (var companyId in companies)
        {
            var entries = viewing.GetValueOrDefault(companyId) ?? [];
            await _reports.Writer.WriteAsync(
                () => grains.GetGrain<ICompanyFeedGrain>(companyId).ReportPresence(new NodePresence(NodeId, entries)), cancellationToken);
        }
    }

    /// <summary>Sends the queued reports to the feed grains one at a time, until the node stops.</summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        await foreach (var report in _reports.Reader.ReadAllAsync(cancellationToken))
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

    private void Queue(Guid companyId, PresenceEntry entry, bool viewing) =>
        _reports.Writer.TryWrite(() => grains.GetGrain<ICompanyFeedGrain>(companyId).UpdatePresence(NodeId, entry, viewing));
}
