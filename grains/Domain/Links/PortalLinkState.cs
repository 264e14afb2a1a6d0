namespace Portal.Domain;

/// <summary>A portal link (known only by the hash of its token): who it lets in, to what, and until when.</summary>
public sealed class PortalLinkState : IOwesNotices
{
    public bool Issued { get; set; }
    public Guid LinkId { get; set; }
    public Guid CompanyId { get; set; }
    public Guid ClientId { get; set; }
    public LinkTarget? Target { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public PortalLinkOrigin Origin { get; set; }
    /// <summary>Notifications owed to other grains for stored changes (see <see cref="Notices"/>).</summary>
    public Notices PendingNotices { get; set; }

    /// <summary>
    /// Issues the link. Issuing again with the same link id is a retry and changes nothing (returns false);
    /// a different link id for the same token hash is refused.
    /// </summary>
    public bool Issue(IssuePortalLink command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Issued)
        {
            if (command.LinkId == LinkId)
            {
                return false;
            }
            throw new PortalRuleViolation(RuleCodes.LinkExists, "A link with this token has already been issued.");
        }
        Validate.Id(command.LinkId, RuleCodes.ValidationLink, "link id");
        Validate.Id(command.CompanyId, RuleCodes.ValidationCompany, "company");
        Validate.Id(command.ClientId, RuleCodes.ValidationClient, "client");
        if (command.Target is null)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLink, "The link's target is missing.");
        }
        if (command.Target.Kind != LinkTargetKind.AllProjects && (command.Target.Id is null || command.Target.Id == Guid.Empty))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLink, "The link's target document is missing.");
        }
        if (command.ExpiresAt <= now)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationExpiresAt, "A link must expire in the future.");
        }

        Issued = true;
        LinkId = command.LinkId;
        CompanyId = command.CompanyId;
        ClientId = command.ClientId;
        Target = command.Target;
        IssuedAt = now;
        ExpiresAt = command.ExpiresAt;
        Origin = command.Origin;
        return true;
    }

    /// <summary>The link if it may be used at <paramref name="now"/>.</summary>
    public PortalLinkView Resolve(DateTimeOffset now)
    {
        EnsureIssued();
        if (RevokedAt is not null)
        {
            throw PortalRuleViolation.Gone(RuleCodes.LinkRevoked, "This link has been revoked. Ask for a new one.");
        }
        if (now >= ExpiresAt)
        {
            throw PortalRuleViolation.Gone(RuleCodes.LinkExpired, "This link has expired. Ask for a new one.");
        }
        return ToView();
    }

    /// <summary>Revokes the link; returns false when it was already revoked.</summary>
    public bool Revoke(DateTimeOffset now)
    {
        EnsureIssued();
        if (RevokedAt is not null)
        {
            return false;
        }
        RevokedAt = now;
        return true;
    }

    public PortalLinkView ToView()
    {
        EnsureIssued();
        return new PortalLinkView(LinkId, CompanyId, ClientId, Target!, IssuedAt, ExpiresAt, RevokedAt, Origin);
    }

    private void EnsureIssued()
    {
        if (!Issued)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.LinkNotFound, "This link is not known.");
        }
    }
}
