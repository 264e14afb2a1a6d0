namespace Portal.Web.Live;

/// <summary>
/// The node's one observer of one project, shared by every connection on this node that watches it. The registry
/// holds it strongly (Orleans keeps only a weak reference to observer objects).
/// </summary>
internal sealed class ProjectWatch(Guid projectId, LiveRegistry registry) : IProjectObserver
{
    private long _version;

    public Guid ProjectId { get; } = projectId;
    public HashSet<string> Connections { get; } = new(StringComparer.Ordinal);
    public IProjectObserver? Reference { get; set; }
    public Task<long> Ready { get; set; } = Task.FromResult(0L);

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
}
