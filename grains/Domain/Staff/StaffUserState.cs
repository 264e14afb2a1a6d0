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
}

/// <summary>Which account holds an email address.</summary>
public sealed class StaffEmailState
{
    public Guid? UserId { get; set; }
}
