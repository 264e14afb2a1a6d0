namespace Portal;

/// <summary>A company a person belongs to, and their role there.</summary>
[GenerateSerializer, Immutable]
public sealed record StaffMembership(
    [property: Id(0)] Guid CompanyId,
    [property: Id(1)] StaffRole Role);

/// <summary>A staff person: never their password hash.</summary>
[GenerateSerializer, Immutable]
public sealed record StaffUserView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] Guid SecurityStamp,
    [property: Id(4)] IReadOnlyList<StaffMembership> Memberships)
{
    public StaffRole? RoleIn(Guid companyId) => Memberships.FirstOrDefault(m => m.CompanyId == companyId)?.Role;
}

/// <summary>What a password sign-in needs from the account: the hash to verify, unless the account is locked.</summary>
[GenerateSerializer, Immutable]
public sealed record PasswordCheck(
    [property: Id(0)] string? PasswordHash,
    [property: Id(1)] DateTimeOffset? LockedUntil);

/// <summary>One member of a company's team.</summary>
[GenerateSerializer, Immutable]
public sealed record TeamMember(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] StaffRole Role,
    [property: Id(4)] DateTimeOffset JoinedAt);

/// <summary>
/// A staff person (key: user id): name, email, password hash, lockout, the companies they belong to, and a security
/// stamp that every session carries: changing the password or a role, leaving a company, or "Sign out everywhere"
/// changes it, and every session holding the old one is refused from its next request.
/// </summary>
public interface IStaffUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account; the same email and hash again answers the same account.</summary>
    Task<StaffUserView> Create(string name, string email, string passwordHash);

    /// <summary>The account, or null when there is none.</summary>
    Task<StaffUserView?> Find();

    /// <summary>The hash to check a password against, or when the account is locked until.</summary>
    Task<PasswordCheck> BeginPasswordSignIn();

    /// <summary>Counts a failed password (5 in a row lock the account for 15 minutes) or clears the count.</summary>
    Task RecordPasswordSignIn(bool succeeded);

    /// <summary>Sets a new password hash and ends every session.</summary>
    Task SetPassword(string passwordHash);

    /// <summary>Replaces the hash of the same password (a stronger hashing format); sessions stay.</summary>
    Task SetPasswordKeepingSessions(string passwordHash);

    /// <summary>Joins a company with a role, or changes the role there; a changed role ends every session.</summary>
    Task SetMembership(Guid companyId, StaffRole role);

    /// <summary>Leaves a company; ends every session.</summary>
    Task RemoveMembership(Guid companyId);

    /// <summary>Ends every session ("Sign out everywhere").</summary>
    Task EndSessions();
}

/// <summary>The one account an email address belongs to (key: the address, trimmed and lower-case).</summary>
public interface IStaffEmailGrain : IGrainWithStringKey
{
    /// <summary>The account holding the address, or null.</summary>
    Task<Guid?> Find();

    /// <summary>Gives the address to <paramref name="userId"/> unless another account holds it; answers the holder.</summary>
    Task<Guid> Claim(Guid userId);

    public static string KeyOf(string email) => email.Trim().ToLowerInvariant();
}

/// <summary>
/// A company's team (key: company id): who belongs with which role. An admin cannot change or remove the owner; the
/// company always keeps exactly one owner, and only the owner hands ownership on.
/// </summary>
public interface ICompanyTeamGrain : IGrainWithGuidKey
{
    Task<IReadOnlyList<TeamMember>> List();

    /// <summary>Adds (or re-adds) a member; the first member of a company must be its owner.</summary>
    Task<TeamMember> Add(Guid userId, string name, string email, StaffRole role);

    /// <summary>Changes a member's role as <paramref name="actorRole"/>; refused with <c>staff.forbidden</c> as the table says.</summary>
    Task<TeamMember> ChangeRole(StaffRole actorRole, Guid userId, StaffRole role);

    /// <summary>Removes a member as <paramref name="actorRole"/>; never the owner.</summary>
    Task Remove(StaffRole actorRole, Guid userId);
}
