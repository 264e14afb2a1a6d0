using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Domain;

/// <summary>A staff API key, kept only as the hex SHA-256 of the key.</summary>
public sealed class ApiKeyEntry
{
    public string KeyHash { get; set; } = "";
    public string Label { get; set; } = "";
    public DateTimeOffset AddedAt { get; set; }
    /// <summary>The company the key acts for; null for keys from before companies had their own (the installation's).</summary>
    public Guid? CompanyId { get; set; }
    /// <summary>What the key may do (<c>admin</c> or <c>member</c>); keys from before roles are admins.</summary>
    public StaffRole Role { get; set; } = StaffRole.Admin;
    /// <summary>Who made it (a person's name), when known.</summary>
    public string? CreatedBy { get; set; }
}

/// <summary>The installation's directory: which company it serves, staff API key hashes and the first admin.</summary>
public sealed partial class StaffDirectoryState : IOwesAudit
{
    /// <summary>Audit entries stored with a change and not yet delivered to the company audit log.</summary>
    public List<AuditRecord> PendingAudit { get; set; } = [];

    public Guid? CompanyId { get; set; }
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
    public string? AdminEmail { get; set; }
    public string? AdminPasswordHash { get; set; }
    public bool DemoSeeded { get; set; }

    /// <summary>Sets the company once; the same id again changes nothing (returns false).</summary>
    public bool SetCompany(Guid companyId)
    {
        Validate.Id(companyId, RuleCodes.ValidationCompany, "company");
        if (CompanyId == companyId)
        {
            return false;
        }
        if (CompanyId is not null)
        {
            throw new PortalRuleViolation(RuleCodes.StaffCompanyAlreadySet, "This installation already serves another company.");
        }
        CompanyId = companyId;
        return true;
    }

    public bool AddApiKey(string keyHash, string label, DateTimeOffset now) =>
        AddApiKey(keyHash, label, now, CompanyId ?? throw new PortalRuleViolation(RuleCodes.StaffCompanyNotSet, "Set the company before adding API keys."), StaffRole.Admin, null);

    /// <summary>Adds a key for a company with a role (an API key is never an owner).</summary>
    public bool AddApiKey(string keyHash, string label, DateTimeOffset now, Guid companyId, StaffRole role, string? createdBy)
    {
        var hash = NormaliseHash(keyHash);
        var cleanLabel = Validate.Name(label, RuleCodes.ValidationLabel, "key label");
        Validate.Id(companyId, RuleCodes.ValidationCompany, "company");
        if (role == StaffRole.Owner)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "An API key's role is admin or member.");
        }
        if (ApiKeys.Any(k => k.KeyHash == hash))
        {
            return false;
        }
        ApiKeys.Add(new ApiKeyEntry { KeyHash = hash, Label = cleanLabel, AddedAt = now, CompanyId = companyId, Role = role, CreatedBy = createdBy });
        return true;
    }

    private Guid? CompanyOf(ApiKeyEntry key) => key.CompanyId ?? CompanyId;

    /// <summary>The key stored under a hash (after it was added).</summary>
    public ApiKeyView FindApiKey(string keyHash)
    {
        var hash = NormaliseHash(keyHash);
        var entry = ApiKeys.FirstOrDefault(k => k.KeyHash == hash)
            ?? throw PortalRuleViolation.NotFound(RuleCodes.ApiKeyNotFound, "There is no such API key.");
        return ToView(entry);
    }

    public IReadOnlyList<ApiKeyView> ListApiKeys() => [.. ApiKeys.Select(ToView)];

    /// <summary>One company's keys, oldest first.</summary>
    public IReadOnlyList<ApiKeyView> ListApiKeys(Guid companyId) => [.. ApiKeys.Where(k => CompanyOf(k) == companyId).Select(ToView)];

    /// <summary>
    /// Removes the key with <paramref name="keyId"/>. Refused for an unknown id, and for the last key: removing it
    /// would leave nobody able to use the API or add a key again.
    /// </summary>
    public ApiKeyEntry RemoveApiKey(Guid keyId) => RemoveApiKey(keyId, null);

    /// <summary>Removes one of <paramref name="companyId"/>'s keys (any company's when null); another company's answers not found.</summary>
    public ApiKeyEntry RemoveApiKey(Guid keyId, Guid? companyId)
    {
        var index = ApiKeys.FindIndex(k => IdOf(k.KeyHash) == keyId && (companyId is null || CompanyOf(k) == companyId));
        if (index < 0)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.ApiKeyNotFound, $"There is no API key {keyId}.");
        }
        if (ApiKeys.Count(k => CompanyOf(k) == CompanyOf(ApiKeys[index])) == 1)
        {
            throw new PortalRuleViolation(RuleCodes.ApiKeyLast, "This is the last API key: add another before removing it.");
        }
        var removed = ApiKeys[index];
        ApiKeys.RemoveAt(index);
        return removed;
    }

    /// <summary>The company a key served (the installation's company for keys stored before keys had one).</summary>
    public Guid? CompanyOfKey(ApiKeyEntry key) => CompanyOf(key);

    /// <summary>
    /// A key's public id, derived from its hash (so keys stored before ids existed have one too) through another hash,
    /// so the id tells nothing about the stored hash.
    /// </summary>
    public static Guid IdOf(string keyHash) =>
        new(SHA256.HashData(Encoding.ASCII.GetBytes("portal-api-key:" + keyHash)).AsSpan(0, 16));

    private static ApiKeyView ToView(ApiKeyEntry entry) =>
        new(IdOf(entry.KeyHash), entry.Label, entry.AddedAt) { Role = entry.Role, CreatedBy = entry.CreatedBy };

    public StaffPrincipal? AuthenticateApiKey(string? keyHash)
    {
        if (keyHash is null || !HashPattern().IsMatch(keyHash))
        {
            return null;
        }
        var presented = Encoding.ASCII.GetBytes(keyHash.ToLowerInvariant());
        ApiKeyEntry? match = null;
        // Look at every key with a constant-time comparison, so timing does not tell how close a guess was.
        foreach (var key in ApiKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(key.KeyHash)))
            {
                match = key;
            }
        }
        return match is not null && CompanyOf(match) is { } companyId
            ? new StaffPrincipal(companyId, match.Label, null) { Role = match.Role, KeyId = IdOf(match.KeyHash) }
            : null;
    }

    /// <summary>Sets the first admin once; the same email and hash again changes nothing (returns false).</summary>
    public bool SetAdmin(string email, string passwordHash)
    {
        var cleanEmail = Validate.Email(email);
        if (string.IsNullOrWhiteSpace(passwordHash))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationPasswordHash, "The password hash is missing.");
        }
        if (AdminEmail is not null)
        {
            if (string.Equals(AdminEmail, cleanEmail, StringComparison.OrdinalIgnoreCase) && AdminPasswordHash == passwordHash)
            {
                return false;
            }
            throw new PortalRuleViolation(RuleCodes.StaffAdminExists, "The first admin has already been set.");
        }
        AdminEmail = cleanEmail;
        AdminPasswordHash = passwordHash;
        return true;
    }

    public string? FindAdminPasswordHash(string? email) =>
        AdminEmail is not null && string.Equals(AdminEmail, email?.Trim(), StringComparison.OrdinalIgnoreCase)
            ? AdminPasswordHash
            : null;

    public bool MarkDemoSeeded()
    {
        if (DemoSeeded)
        {
            return false;
        }
        DemoSeeded = true;
        return true;
    }

    public InstallationView ToView() => new(CompanyId, ApiKeys.Count > 0, AdminEmail is not null, DemoSeeded);

    private static string NormaliseHash(string? keyHash)
    {
        if (keyHash is null || !HashPattern().IsMatch(keyHash))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationKeyHash, "An API key is stored as the 64-character hex SHA-256 of the key.");
        }
        return keyHash.ToLowerInvariant();
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HashPattern();
}
