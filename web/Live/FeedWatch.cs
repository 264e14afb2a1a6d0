namespace Portal.Web.Live;

/// <summary>The node's one observer of one company's feed, shared by its staff feed pages and portal pages.</summary>
public sealed class FeedWatch(Guid companyId, LiveRegistry registry, ILogger logger)
    : NodeWatch<ICompanyFeedObserver, FeedSnapshot>(companyId), ICompanyFeedObserver
{
    public Guid CompanyId => Key;

    /// <summary>The company's time zone, for the times in relayed feed items (read when the node subscribes).</summary>
    public string TimeZone { get; private set; } = "Europe/London";

    public Task OnFeedItem(FeedItem item) => registry.RelayFeedItemAsync(this, item);

    public Task OnPresenceChanged(PresenceChanged change) => registry.RelayPresenceAsync(this, change);

    public Task OnLinkRevoked(Guid linkId) => registry.CloseLinkAsync(linkId);

    public Task OnStaffSessionsEnded(Guid userId) => registry.CloseStaffSessionsAsync(userId);

    public Task OnApiKeyRemoved(string keyHash) => registry.CloseApiKeyAsync(keyHash);

    protected internal override async Task PrepareAsync(IGrainFactory grains)
    {
        try
        {
            TimeZone = (await grains.GetGrain<ICompanyGrain>(CompanyId).Get()).TimeZone;
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not read the time zone of company {CompanyId}", CompanyId);
        }
    }

    protected internal override Task<FeedSnapshot> SubscribeAsync(IGrainFactory grains, ICompanyFeedObserver reference) =>
        grains.GetGrain<ICompanyFeedGrain>(CompanyId).Subscribe(reference);

    protected internal override Task UnsubscribeAsync(IGrainFactory grains, ICompanyFeedObserver reference) =>
        grains.GetGrain<ICompanyFeedGrain>(CompanyId).Unsubscribe(reference);
}
