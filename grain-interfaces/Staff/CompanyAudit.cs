namespace Portal;

/// <summary>What the company audit log records (the <c>action</c> of an entry).</summary>
public static class AuditActions
{
    public const string SettingsChanged = "company.settings_changed";
    public const string ApiKeyAdded = "apikey.added";
    public const string ApiKeyRemoved = "apikey.removed";
    public const string MemberAdded = "team.member_added";
    public const string RoleChanged = "team.role_changed";
    public const string MemberRemoved = "team.member_removed";
}

/// <summary>The company audit log as the API shows it: the entries, oldest first, and the chain's verification.</summary>
[GenerateSerializer, Immutable]
public sealed record CompanyAuditView(
    [property: Id(0)] IReadOnlyList<ActivityEntry> Entries,
    [property: Id(1)] ActivityVerification Verification);

/// <summary>
/// A company's audit log (key: company id): team, settings and API key changes, who made them, hash-chained exactly
/// like a project's activity log (each entry's hash covers its canonical form and the previous hash). The grains
/// that make those changes record them after storing them; the actor is whoever <see cref="StaffActing"/> names.
/// </summary>
public interface ICompanyAuditGrain : IGrainWithGuidKey
{
    /// <summary>Appends an entry; the same <paramref name="id"/> again (a retried call) appends nothing.</summary>
    Task Record(Guid id, string action, string detail);

    /// <summary>Every entry, oldest first, with the chain recomputed.</summary>
    Task<CompanyAuditView> Get();
}
