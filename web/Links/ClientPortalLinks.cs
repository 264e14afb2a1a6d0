namespace Portal.Web.Links;

/// <summary>Whether a link lets its holder in now.</summary>
public enum PortalLinkStatus
{
    Active,
    Expired,
    Revoked,
}

/// <summary>A link as staff see it in the client's list: what it opens, how and when it was issued, never its token.</summary>
public sealed record ClientPortalLink(
    Guid Id,
    LinkTarget Target,
    PortalLinkOrigin Origin,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    PortalLinkStatus Status);

/// <summary>
/// A client's portal links, found through the company's link index and read from each link grain (the link is the
/// one that knows whether it was revoked). Revoking all of them goes through each link's own revoke, which ends the
/// portal sessions and live pages opened through it, exactly as revoking one link does.
/// </summary>
public sealed class ClientPortalLinks(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>
    /// The client's links, newest first: live and revoked ones, and expired ones for a day after they expire (then
    /// the company forgets them).
    /// </summary>
    public async Task<IReadOnlyList<ClientPortalLink>> ListAsync(Guid companyId, Guid clientId)
    {
        var records = await grains.GetGrain<ICompanyGrain>(companyId).ListPortalLinks(clientId);
        var views = await Task.WhenAll(records.Select(r => grains.GetGrain<IPortalLinkGrain>(r.TokenHash).Get()));
        var now = clock.GetUtcNow();
        return [.. views.Select(v => ToListed(v, now)).OrderByDescending(l => l.IssuedAt).ThenBy(l => l.Id)];
    }

    /// <summary>Revokes every link of the client that still lets someone in; answers how many it revoked.</summary>
    public async Task<int> RevokeAllAsync(Guid companyId, Guid clientId)
    {
        var records = await grains.GetGrain<ICompanyGrain>(companyId).ListPortalLinks(clientId);
        var links = records.Select(r => grains.GetGrain<IPortalLinkGrain>(r.TokenHash)).ToList();
        var views = await Task.WhenAll(links.Select(l => l.Get()));
        var now = clock.GetUtcNow();
        var active = links.Where((_, i) => ToListed(views[i], now).Status == PortalLinkStatus.Active).ToList();
        await Task.WhenAll(active.Select(l => l.Revoke()));
        return active.Count;
    }

    private static ClientPortalLink ToListed(PortalLinkView link, DateTimeOffset now) => new(
        link.LinkId, link.Target, link.Origin, link.IssuedAt, link.ExpiresAt, link.RevokedAt,
        link.RevokedAt is not null ? PortalLinkStatus.Revoked
            : now >= link.ExpiresAt ? PortalLinkStatus.Expired
            : PortalLinkStatus.Active);
}
