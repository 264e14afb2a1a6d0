namespace Portal.Web.Live;

/// <summary>The node's one observer of one company's feed, shared by its staff feed pages and portal pages.</summary>
internal sealed class FeedWatch(Guid companyId, LiveRegistry registry) : ICompanyFeedObserver
{
    public Guid CompanyId { get; } = companyId;
    public HashSet<string> Connections { get; } = new(StringComparer.Ordinal);
    public ICompanyFeedObserver? Reference { get; set; }
    public Task<FeedSnapshot> Ready { get; set; } = Task.FromResult(new FeedSnapshot([], []));
    public string TimeZone { get; set; } = "Europe/London";

    public Task OnFeedItem(FeedItem item) => registry.RelayFeedItemAsync(this, item);

    public Task OnPresenceChanged(PresenceChanged change) => registry.RelayPresenceAsync(this, change);

    public Task OnLinkRevoked(Guid linkId) => registry.CloseLinkAsync(linkId);
}
