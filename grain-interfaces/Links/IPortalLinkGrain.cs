namespace Portal;

[GenerateSerializer]
public enum LinkTargetKind
{
    AllProjects = 0,
    Project = 1,
    Proposal = 2,
    Invoice = 3,
}

/// <summary>How a link came to be: in an email (a document sent, files shared) or issued by staff to hand over.</summary>
[GenerateSerializer]
public enum PortalLinkOrigin
{
    /// <summary>Issued before links recorded their origin.</summary>
    Unknown = 0,
    Email = 1,
    Staff = 2,
}

[GenerateSerializer, Immutable]
public sealed record LinkTarget(
    [property: Id(0)] LinkTargetKind Kind,
    [property: Id(1)] Guid? Id);

[GenerateSerializer, Immutable]
public sealed record IssuePortalLink(
    [property: Id(0)] Guid LinkId,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] LinkTarget Target,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] PortalLinkOrigin Origin = PortalLinkOrigin.Unknown);

[GenerateSerializer, Immutable]
public sealed record PortalLinkView(
    [property: Id(0)] Guid LinkId,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] LinkTarget Target,
    [property: Id(4)] DateTimeOffset IssuedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt,
    [property: Id(7)] PortalLinkOrigin Origin);

/// <summary>
/// A portal link, keyed by the lower-case hex SHA-256 of its token. The raw token exists only in the email
/// and the browser; this grain never sees it.
/// </summary>
public interface IPortalLinkGrain : IGrainWithStringKey
{
    Task<PortalLinkView> Issue(IssuePortalLink command);

    /// <summary>
    /// The link if it can be used now: <c>link.not_found</c> (404) when unknown, <c>link.expired</c> or
    /// <c>link.revoked</c> (410) when no longer valid.
    /// </summary>
    Task<PortalLinkView> Resolve();

    /// <summary>The link in whatever state it is in; <c>link.not_found</c> when unknown.</summary>
    Task<PortalLinkView> Get();

    /// <summary>Revokes the link (idempotent).</summary>
    Task<PortalLinkView> Revoke();
}
