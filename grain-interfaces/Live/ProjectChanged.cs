using Orleans.Concurrency;

namespace Portal;

/// <summary>Which parts of a project overview a stored change touched; pages use it to decide what to refetch.</summary>
[Flags]
[GenerateSerializer]
public enum ProjectParts
{
    None = 0,
    /// <summary>Title, address, open/complete.</summary>
    Status = 1,
    Proposals = 2,
    Bookings = 4,
    Files = 8,
    Invoices = 16,
    Activity = 32,
}

/// <summary>
/// What a project grain tells its watchers after a stored change. <see cref="Version"/> is the project's version
/// after the change; it only grows, so a watcher that saw a higher one drops this event, and one that sees a jump
/// knows it missed nothing but intermediate states (it refetches the current page anyway).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProjectChanged(
    [property: Id(0)] Guid ProjectId,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] int ProjectNumber,
    [property: Id(4)] long Version,
    [property: Id(5)] ProjectParts Parts,
    [property: Id(6)] IReadOnlyList<ActivityEntry> Activity);

/// <summary>A web node's watcher of one project (one per project per node, shared by that node's pages).</summary>
public interface IProjectObserver : IGrainObserver
{
    [OneWay]
    Task OnProjectChanged(ProjectChanged change);
}
