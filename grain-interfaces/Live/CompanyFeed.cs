using Orleans.Concurrency;

namespace Portal;

/// <summary>The activity the staff feed reports: what clients do, and money arriving, failing, or arriving where it must be refunded.</summary>
public static class StaffFeedTypes
{
    public static bool IsReported(string type) => type is
        ActivityTypes.ProposalViewed or ActivityTypes.ProposalAccepted or ActivityTypes.ProposalDeclined or
        ActivityTypes.InvoiceViewed or ActivityTypes.BankDetailsRevealed or
        ActivityTypes.PaymentSucceeded or ActivityTypes.PaymentFailed or ActivityTypes.PaymentRefundDue;
}

/// <summary>One line of the staff feed: an activity entry with the project and client it belongs to.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedItem(
    [property: Id(0)] Guid ProjectId,
    [property: Id(1)] int ProjectNumber,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] string ClientName,
    [property: Id(4)] ActivityEntry Entry);

/// <summary>A client with a portal page of a project open somewhere ("Jane Smith is viewing Project #1042 now").</summary>
[GenerateSerializer, Immutable]
public sealed record PresenceEntry(
    [property: Id(0)] Guid ProjectId,
    [property: Id(1)] int ProjectNumber,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] string ClientName);

/// <summary>What one web node reports: the (project, client) pairs it has pages open for, as a full set.</summary>
[GenerateSerializer, Immutable]
public sealed record NodePresence(
    [property: Id(0)] string NodeId,
    [property: Id(1)] IReadOnlyList<PresenceEntry> Viewing);

[GenerateSerializer, Immutable]
public sealed record PresenceChanged(
    [property: Id(0)] PresenceEntry Entry,
    [property: Id(1)] bool Viewing);

/// <summary>The feed as it is now: the latest items (newest first) and who is viewing what.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedSnapshot(
    [property: Id(0)] IReadOnlyList<FeedItem> Recent,
    [property: Id(1)] IReadOnlyList<PresenceEntry> Presence);

/// <summary>A web node's watcher of one company's feed: staff feed pages, presence, and revoked links.</summary>
public interface ICompanyFeedObserver : IGrainObserver
{
    [OneWay]
    Task OnFeedItem(FeedItem item);

    [OneWay]
    Task OnPresenceChanged(PresenceChanged change);

    /// <summary>A portal link was revoked: pages opened through it must lose access now.</summary>
    [OneWay]
    Task OnLinkRevoked(Guid linkId);

    /// <summary>A staff person's security stamp changed: their open staff hub connections must close now.</summary>
    [OneWay]
    Task OnStaffSessionsEnded(Guid userId);

    /// <summary>An API key was removed: staff hub connections that proved it (by its hash) must close now.</summary>
    [OneWay]
    Task OnApiKeyRemoved(string keyHash);
}

/// <summary>
/// The live feed of one company (keyed by company id). It keeps no durable state: the durable record is each
/// project's activity log; the feed relays what projects report after their own writes, keeps the latest items
/// in memory for a page that opens, and tracks presence as web nodes report it.
/// </summary>
public interface ICompanyFeedGrain : IGrainWithGuidKey
{
    /// <summary>Returns the snapshot, so a subscriber starts from the current state.</summary>
    Task<FeedSnapshot> Subscribe(ICompanyFeedObserver observer);

    Task Unsubscribe(ICompanyFeedObserver observer);

    Task<FeedSnapshot> GetSnapshot();

    /// <summary>Called by a project after storing activity; only <see cref="StaffFeedTypes.IsReported"/> entries show.</summary>
    Task Publish(Guid projectId, int projectNumber, Guid clientId, IReadOnlyList<ActivityEntry> entries);

    /// <summary>A node started (<paramref name="viewing"/>) or stopped having pages of the project open for the client.</summary>
    Task UpdatePresence(string nodeId, PresenceEntry entry, bool viewing);

    /// <summary>
    /// A node's full presence set, repeated periodically; a node that stops reporting is forgotten after the
    /// presence expiry, so a crashed node does not leave clients "viewing" forever.
    /// </summary>
    Task ReportPresence(NodePresence presence);

    Task LinkRevoked(Guid linkId);

    /// <summary>Tells every subscribed node to close the person's staff hub connections (their stamp changed).</summary>
    Task StaffSessionsEnded(Guid userId);

    /// <summary>Tells every subscribed node to close the staff hub connections of a removed API key (by its hash).</summary>
    Task ApiKeyRemoved(string keyHash);
}
