namespace Portal;

/// <summary>What a one-time staff link is for.</summary>
[GenerateSerializer]
public enum StaffTicketKind
{
    /// <summary>Join a company with a role (72 hours).</summary>
    Invitation = 0,
    /// <summary>Set a new password (1 hour).</summary>
    PasswordReset = 1,
}

/// <summary>
/// A one-time staff link as its grain stores it: bound to a company (invitations), an email address, a role and who
/// issued it, or to an account (resets). Never the token.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StaffTicketView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] StaffTicketKind Kind,
    [property: Id(2)] Guid CompanyId,
    [property: Id(3)] Guid? UserId,
    [property: Id(4)] string Email,
    [property: Id(5)] StaffRole Role,
    [property: Id(6)] Guid? IssuedBy,
    [property: Id(7)] string? IssuedByName,
    [property: Id(8)] DateTimeOffset IssuedAt,
    [property: Id(9)] DateTimeOffset ExpiresAt,
    [property: Id(10)] DateTimeOffset? UsedAt);

/// <summary>
/// Issues a one-time link and sends its email. <see cref="Mail"/> (it carries the link) goes to the outbox under a
/// message id derived from the ticket's id, so a retried issue sends one email; the ticket does not keep it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IssueStaffTicket(
    [property: Id(0)] Guid Id,
    [property: Id(1)] StaffTicketKind Kind,
    [property: Id(2)] Guid CompanyId,
    [property: Id(3)] Guid? UserId,
    [property: Id(4)] string Email,
    [property: Id(5)] StaffRole Role,
    [property: Id(6)] Guid? IssuedBy,
    [property: Id(7)] string? IssuedByName,
    [property: Id(8)] DateTimeOffset ExpiresAt,
    [property: Id(9)] OutgoingMail Mail);

/// <summary>
/// A one-time staff link: an invitation or a password reset (key: the lower-case hex SHA-256 of its 256-bit token, so
/// only the hash is stored). Single use: <see cref="Use"/> succeeds once, before the link expires.
/// </summary>
public interface IStaffTicketGrain : IGrainWithStringKey
{
    /// <summary>Stores the ticket, then puts its email in the outbox; the same command again stores and sends nothing new.</summary>
    Task<StaffTicketView> Issue(IssueStaffTicket command);

    /// <summary>
    /// The ticket if it can still be used for <paramref name="kind"/>: <c>staff.ticket_not_found</c> (404) when unknown
    /// or of another kind, <c>staff.ticket_used</c> or <c>staff.ticket_expired</c> (410).
    /// </summary>
    Task<StaffTicketView> Check(StaffTicketKind kind);

    /// <summary>Marks the ticket used, refused as <see cref="Check"/> says; a second use is refused with <c>staff.ticket_used</c>.</summary>
    Task<StaffTicketView> Use(StaffTicketKind kind);
}
