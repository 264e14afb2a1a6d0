namespace Portal.Domain;

/// <summary>A staff person's account (see <see cref="IStaffUserGrain"/>).</summary>
public sealed class StaffUserState
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    public bool Created { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public Guid SecurityStamp { get; set; }
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<StaffMembership> Memberships { get; set; } = [];

    /// <summary>Creates the account; the same email and hash again changes nothing (false); anything else is refused.</summary>
    public bool Create(string name, string email, string passwordHash, Guid stamp, DateTimeOffset now)
    {
        var cleanName = Validate.Name(name, RuleCodes.ValidationName, "name", 100);
        var cleanEmail = Validate.Email(email);
        var hash = RequireHash(passwordHash);
        if (Created)
        {
            return string.Equals(Email, cleanEmail, StringComparison.OrdinalIgnoreCase) && PasswordHash == hash
                ? false
                : throw new PortalRuleViolation(RuleCodes.StaffEmailTaken, "This account already exists.");
        }
        Created = true;
        Name = cleanName;
        Email = cleanEmail;
        PasswordHash = hash;
        SecurityStamp = stamp;
        CreatedAt = now;
        return true;
    }

    /// <summary>The hash to verify, or only the lock's end while the account is locked.</summary>
    public PasswordCheck BeginPasswordSignIn(DateTimeOffset now)
    {
        EnsureCreated();
        return LockedUntil is { } until && until > now ? new PasswordCheck(null, until) : new PasswordCheck(PasswordHash, null);
    }

    /// <summary>Counts a failure (the fifth in a row locks the account) or clears the count; answers whether anything changed.</summary>
    public bool RecordPasswordSignIn(bool succeeded, DateTimeOffset now)
    {
        EnsureCreated();
        if (succeeded)
        {
            if (FailedSignIns == 0 && LockedUntil is null)
            {
                return false;
            }
            FailedSignIns = 0;
            LockedUntil = null;
            return true;
        }
        if (LockedUntil is { } until && until > now)
        {
            return false;
        }
        FailedSignIns++;
        if (FailedSignIns >= MaxFailedSignIns)
        {
            FailedSignIns = 0;
            LockedUntil = now + Lockout;
        }
        return true;
    }

    public void SetPassword(string passwordHash, Guid stamp)
    {
        EnsureCreated();
        PasswordHash = RequireHash(passwordHash);
        FailedSignIns = 0;
        LockedUntil = null;
        SecurityStamp = stamp;
    }

    /// <summary>The same password in a newer hash format: sessions stay.</summary>
    public void Rehash(string passwordHash)
    {
        EnsureCreated();
        PasswordHash = RequireHash(passwordHash);
    }

    /// <summary>Joins or changes the role; a changed role takes a new stamp. Answers whether anything changed.</summary>
    public bool SetMembership(Guid companyId, StaffRole role, Guid stamp)
    {
        EnsureCreated();
        Validate.Id(companyId, RuleCodes.ValidationCompany, "company");
        var index = Memberships.FindIndex(m => m.CompanyId == companyId);
        if (index >= 0 && Memberships[index].Role == role)
        {
            return false;
        }
        if (index >= 0)
        {
            Memberships[index] = new StaffMembership(companyId, role);
            SecurityStamp = stamp;
        }
        else
        {
            Memberships.Add(new StaffMembership(companyId, role));
        }
        return true;
    }

    public bool RemoveMembership(Guid companyId, Guid stamp)
    {
        EnsureCreated();
        if (Memberships.RemoveAll(m => m.CompanyId == companyId) == 0)
        {
            return false;
        }
        SecurityStamp = stamp;
        return true;
    }

    public void EndSessions(Guid stamp)
    {
        EnsureCreated();
        SecurityStamp = stamp;
    }

    public StaffUserView? ToView(Guid id) => Created ? new StaffUserView(id, Name, Email, SecurityStamp, [.. Memberships]) : null;

    private void EnsureCreated()
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.StaffNotFound, "There is no such account.");
        }
    }

    private static string RequireHash(string passwordHash) =>
        string.IsNullOrWhiteSpace(passwordHash)
            ? throw PortalRuleViolation.Invalid(RuleCodes.ValidationPasswordHash, "The password hash is missing.")
            : passwordHash;

    // --- Passkeys (issue 15 point 4) ---

    public const int MaxPasskeys = 20;

    public List<StaffPasskey> Passkeys { get; set; } = [];

    /// <summary>Adds a passkey with a checked name; answers false when the credential is already there.</summary>
    public bool AddPasskey(StaffPasskey passkey)
    {
        EnsureCreated();
        if (Passkeys.Any(p => p.CredentialId == passkey.CredentialId))
        {
            return false;
        }
        if (Passkeys.Count >= MaxPasskeys)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationName, $"An account holds at most {MaxPasskeys} passkeys. Remove one first.");
        }
        if (string.IsNullOrEmpty(passkey.CredentialId) || passkey.PublicKey is not { Length: > 0 })
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationName, "The passkey is incomplete.");
        }
        Passkeys.Add(passkey with { Name = Validate.Name(passkey.Name, RuleCodes.ValidationName, "passkey name", 100) });
        return true;
    }

    public bool RemovePasskey(string credentialId)
    {
        EnsureCreated();
        return Passkeys.RemoveAll(p => p.CredentialId == credentialId) > 0;
    }

    /// <summary>Accepts a sign-in whose signature count went up (or stays 0 on a counter-less authenticator).</summary>
    public bool RecordPasskeySignIn(string credentialId, uint signCount, DateTimeOffset now)
    {
        EnsureCreated();
        var index = Passkeys.FindIndex(p => p.CredentialId == credentialId);
        if (index < 0)
        {
            return false;
        }
        var stored = Passkeys[index];
        if ((signCount != 0 || stored.SignCount != 0) && signCount <= stored.SignCount)
        {
            return false;
        }
        Passkeys[index] = stored with { SignCount = signCount, LastUsedAt = now };
        return true;
    }
}

/// <summary>Which account holds a passkey's credential id.</summary>
public sealed class StaffPasskeyIndexState : IUserIndexState
{
    public Guid? UserId { get; set; }
}

/// <summary>Which account holds an email address.</summary>
public sealed class StaffEmailState : IUserIndexState
{
    public Guid? UserId { get; set; }
}

/// <summary>An index entry that belongs to one account (an email address, a passkey's credential id).</summary>
public interface IUserIndexState
{
    Guid? UserId { get; set; }
}
