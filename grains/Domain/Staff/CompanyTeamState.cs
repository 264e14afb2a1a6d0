namespace Portal.Domain;

/// <summary>A company's team (see <see cref="ICompanyTeamGrain"/>).</summary>
public sealed class CompanyTeamState : IOwesAudit
{
    /// <summary>Audit entries stored with a change and not yet delivered to the company audit log.</summary>
    public List<AuditRecord> PendingAudit { get; set; } = [];

    public List<TeamMember> Members { get; set; } = [];

    /// <summary>Adds or re-adds a member; the first member must be the owner, and there is only ever one owner.</summary>
    public TeamMember Add(Guid userId, string name, string email, StaffRole role, DateTimeOffset now, out bool changed)
    {
        Validate.Id(userId, RuleCodes.ValidationName, "user");
        var cleanName = Validate.Name(name, RuleCodes.ValidationName, "name", 100);
        var cleanEmail = Validate.Email(email);
        var existing = Members.FindIndex(m => m.UserId == userId);
        if (existing >= 0)
        {
            changed = false;
            return Members[existing];
        }
        if (Members.Count == 0 && role != StaffRole.Owner)
        {
            throw new PortalRuleViolation(RuleCodes.StaffOwnerRequired, "A company's first member is its owner.");
        }
        if (Members.Count > 0 && role == StaffRole.Owner)
        {
            throw new PortalRuleViolation(RuleCodes.StaffOwnerRequired, "The company has an owner; only the owner hands ownership on.");
        }
        var member = new TeamMember(userId, cleanName, cleanEmail, role, now);
        Members.Add(member);
        changed = true;
        return member;
    }

    /// <summary>
    /// Changes a role as <paramref name="actor"/>: only owners and admins manage the team; nobody but the owner touches
    /// the owner; making someone owner hands ownership on (the old owner becomes an admin) and is the owner's alone.
    /// </summary>
    public IReadOnlyList<TeamMember> ChangeRole(StaffRole actor, Guid userId, StaffRole role)
    {
        var index = Find(userId);
        var member = Members[index];
        EnsureMayManage(actor, member);
        if (member.Role == role)
        {
            return [];
        }
        if (member.Role == StaffRole.Owner)
        {
            throw new PortalRuleViolation(RuleCodes.StaffOwnerRequired, "A company keeps its owner: make another member the owner instead.");
        }
        if (role == StaffRole.Owner)
        {
            if (!StaffPermissions.Can(actor, StaffRight.TransferOwnership))
            {
                throw PortalRuleViolation.Forbidden("Only the owner hands ownership on.");
            }
            var owner = Members.FindIndex(m => m.Role == StaffRole.Owner);
            var changed = new List<TeamMember>();
            if (owner >= 0)
            {
                Members[owner] = Members[owner] with { Role = StaffRole.Admin };
                changed.Add(Members[owner]);
            }
            Members[index] = member with { Role = StaffRole.Owner };
            changed.Add(Members[index]);
            return changed;
        }
        Members[index] = member with { Role = role };
        return [Members[index]];
    }

    public TeamMember Remove(StaffRole actor, Guid userId)
    {
        var index = Find(userId);
        var member = Members[index];
        EnsureMayManage(actor, member);
        if (member.Role == StaffRole.Owner)
        {
            throw new PortalRuleViolation(RuleCodes.StaffOwnerRequired, "The owner cannot be removed: hand ownership on first.");
        }
        Members.RemoveAt(index);
        return member;
    }

    private static void EnsureMayManage(StaffRole actor, TeamMember member)
    {
        if (!StaffPermissions.Can(actor, StaffRight.Administer))
        {
            throw PortalRuleViolation.Forbidden("Only owners and admins manage the team.");
        }
        if (member.Role == StaffRole.Owner && actor != StaffRole.Owner)
        {
            throw PortalRuleViolation.Forbidden("An admin cannot change or remove the owner.");
        }
    }

    private int Find(Guid userId)
    {
        var index = Members.FindIndex(m => m.UserId == userId);
        return index >= 0 ? index : throw PortalRuleViolation.NotFound(RuleCodes.StaffNotFound, $"There is no team member {userId}.");
    }
}
