namespace Portal.Domain;

/// <summary>A one-time staff link (see <see cref="IStaffTicketGrain"/>): issued once, used once, before it expires.</summary>
public sealed class StaffTicketState
{
    public bool Created { get; set; }
    public Guid Id { get; set; }
    public StaffTicketKind Kind { get; set; }
    public Guid CompanyId { get; set; }
    public Guid? UserId { get; set; }
    public string Email { get; set; } = "";
    public StaffRole Role { get; set; }
    public Guid? IssuedBy { get; set; }
    public string? IssuedByName { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid MessageId { get; set; }

    /// <summary>Stores the ticket; the same ticket again changes nothing (false), another one under the same key is refused.</summary>
    public bool Issue(IssueStaffTicket command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Created)
        {
            return command.Id == Id && command.Kind == Kind
                ? false
                : throw new PortalRuleViolation(RuleCodes.StaffTicketUsed, "This link has already been issued.");
        }
        Validate.Id(command.Id, RuleCodes.ValidationFailed, "ticket");
        Validate.Id(command.CompanyId, RuleCodes.ValidationCompany, "company");
        var email = Validate.Email(command.Email);
        if (command.Kind == StaffTicketKind.Invitation && command.Role == StaffRole.Owner)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "An invitation's role is admin or member.");
        }
        if (command.Kind == StaffTicketKind.PasswordReset && command.UserId is null)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "A reset link belongs to an account.");
        }
        if (command.ExpiresAt <= now)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "A link must expire in the future.");
        }
        Created = true;
        Id = command.Id;
        Kind = command.Kind;
        CompanyId = command.CompanyId;
        UserId = command.UserId;
        Email = email;
        Role = command.Role;
        IssuedBy = command.IssuedBy;
        IssuedByName = command.IssuedByName;
        IssuedAt = now;
        ExpiresAt = command.ExpiresAt;
        MessageId = DerivedIds.For(command.Id, "ticket:mail");
        return true;
    }

    /// <summary>The ticket if it can be used now for <paramref name="kind"/>; refused otherwise, and nothing changes.</summary>
    public StaffTicketView Check(StaffTicketKind kind, DateTimeOffset now)
    {
        if (!Created || Kind != kind)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.StaffTicketNotFound, "There is no such link.");
        }
        if (UsedAt is not null)
        {
            throw PortalRuleViolation.Gone(RuleCodes.StaffTicketUsed, "This link has already been used.");
        }
        if (now >= ExpiresAt)
        {
            throw PortalRuleViolation.Gone(RuleCodes.StaffTicketExpired, "This link has expired.");
        }
        return ToView();
    }

    /// <summary>Uses the ticket, once.</summary>
    public StaffTicketView Use(StaffTicketKind kind, DateTimeOffset now)
    {
        Check(kind, now);
        UsedAt = now;
        return ToView();
    }

    public StaffTicketView ToView() =>
        new(Id, Kind, CompanyId, UserId, Email, Role, IssuedBy, IssuedByName, IssuedAt, ExpiresAt, UsedAt);
}
