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

    // --- Passkeys (issue 15 point 4) ---

    /// <summary>The account's passkeys, oldest first.</summary>
    Task<IReadOnlyList<StaffPasskey>> ListPasskeys();

    /// <summary>Adds a passkey; the same credential id again changes nothing. Sessions stay.</summary>
    Task AddPasskey(StaffPasskey passkey);

    /// <summary>Removes a passkey (by base64url credential id) at once; answers whether there was one.</summary>
    Task<bool> RemovePasskey(string credentialId);

    /// <summary>The passkey with this base64url credential id, or null when the account has none such (any more).</summary>
    Task<StaffPasskey?> FindPasskey(string credentialId);

    /// <summary>
    /// Records a verified passkey sign-in: the authenticator's new signature count must be above the stored one (unless
    /// both are 0, for authenticators that keep no count), else it may be a cloned key and is refused (false).
    /// </summary>
    Task<bool> RecordPasskeySignIn(string credentialId, uint signCount);
}

/// <summary>A passkey (WebAuthn credential) of a staff account.</summary>
[GenerateSerializer, Immutable]
public sealed record StaffPasskey(
    [property: Id(0)] string CredentialId,
    [property: Id(1)] byte[] PublicKey,
    [property: Id(2)] uint SignCount,
    [property: Id(3)] string Name,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? LastUsedAt);

/// <summary>Which account a passkey belongs to (key: the base64url credential id), for usernameless sign-in.</summary>
public interface IStaffPasskeyGrain : IGrainWithStringKey
{
    /// <summary>The account holding the credential, or null.</summary>
    Task<Guid?> Find();

    /// <summary>Gives the credential to <paramref name="userId"/> unless another account holds it; answers the holder.</summary>
    Task<Guid> Claim(Guid userId);

    /// <summary>Forgets the credential if <paramref name="userId"/> holds it.</summary>
    Task Release(Guid userId);
}

/// <summary>What a passkey ceremony started: the options sent to the browser, for whom, and until when.</summary>
[GenerateSerializer, Immutable]
public sealed record PasskeyChallenge(
    [property: Id(0)] string Purpose,
    [property: Id(1)] Guid? UserId,
    [property: Id(2)] string OptionsJson,
    [property: Id(3)] DateTimeOffset ExpiresAt);

/// <summary>
/// One passkey ceremony's challenge (key: a random 256-bit id the browser holds in a cookie). Kept in memory only,
/// short-lived and single use: <see cref="Take"/> answers it once, and never after it expired.
/// </summary>
public interface IPasskeyChallengeGrain : IGrainWithStringKey
{
    /// <summary>Stores the challenge; refused if this id already holds one.</summary>
    Task Put(PasskeyChallenge challenge);

    /// <summary>The challenge, once; null when there is none, it was taken, or it expired.</summary>
    Task<PasskeyChallenge?> Take();
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
