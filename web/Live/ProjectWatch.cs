namespace Portal.Web.Live;

/// <summary>
/// The node's one observer of one project: it remembers the newest version the node relayed, so a repeated or stale
/// notification is dropped and a renewal that finds a newer version tells the pages to resynchronise.
/// </summary>
public sealed class ProjectWatch(Guid projectId, LiveRegistry registry) : NodeWatch<IProjectObserver, long>(projectId), IProjectObserver
{
    private long _version;

    public Guid ProjectId => Key;

    /// <summary>The highest version this node has seen for the project.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raises the known version; false when <paramref name="version"/> is not newer (a stale or repeated event).</summary>
    public bool Advance(long version)
    {
        while (true)
        {
            var known = Interlocked.Read(ref _version);
            if (version <= known)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _version, version, known) == known)
            {
                return true;
            }
        }
    }

    public Task OnProjectChanged(ProjectChanged change) => registry.RelayProjectChangeAsync(this, change);

    protected internal override Task<long> SubscribeAsync(IGrainFactory grains, IProjectObserver reference) =>
        grains.GetGrain<IProjectGrain>(ProjectId).Subscribe(reference);

    protected internal override void Subscribed(long version) => Advance(version);

    protected internal override Task UnsubscribeAsync(IGrainFactory grains, IProjectObserver reference) =>
        grains.GetGrain<IProjectGrain>(ProjectId).Unsubscribe(reference);

    // A version past what the node relayed (a lost event, a grain reactivated elsewhere): the pages refetch.
    protected internal override Task RenewedAsync(long version, CancellationToken cancellationToken) =>
        Advance(version) ? registry.ResynchroniseAsync(ProjectId, version, cancellationToken) : Task.CompletedTask;
}
