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

/// <summary>
/// One change for the audit log, as the grain that made it stored it with the change: who made it and when travel
/// with it, because a delivery retried after a restart no longer has the request that made the change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditRecord(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] string Action,
    [property: Id(3)] string Detail,
    [property: Id(4)] Actor By,
    [property: Id(5)] DateTimeOffset At);

/// <summary>The company audit log as the API shows it: the entries, oldest first, and the chain's verification.</summary>
[GenerateSerializer, Immutable]
public sealed record CompanyAuditView(
    [property: Id(0)] IReadOnlyList<ActivityEntry> Entries,
    [property: Id(1)] ActivityVerification Verification);

/// <summary>
/// A company's audit log (key: company id): team, settings and API key changes, who made them, hash-chained exactly
/// like a project's activity log (each entry's hash covers its canonical form and the previous hash). The grains
/// that make those changes store the entry with the change and deliver it afterwards, until it is delivered.
/// </summary>
public interface ICompanyAuditGrain : IGrainWithGuidKey
{
    /// <summary>Appends an entry; the same id again (a retried delivery) appends nothing.</summary>
    Task Record(AuditRecord record);

    /// <summary>Every entry, oldest first, with the chain recomputed.</summary>
    Task<CompanyAuditView> Get();
}
