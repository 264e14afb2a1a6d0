namespace Portal;

[GenerateSerializer, Immutable]
public sealed record StaffPrincipal(
    [property: Id(0)] Guid CompanyId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Email)
{
    /// <summary>What the key may do.</summary>
    [Id(3)] public StaffRole Role { get; init; } = StaffRole.Admin;

    /// <summary>The key's public id.</summary>
    [Id(4)] public Guid KeyId { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record InstallationView(
    [property: Id(0)] Guid? CompanyId,
    [property: Id(1)] bool HasApiKey,
    [property: Id(2)] bool HasAdmin,
    [property: Id(3)] bool DemoSeeded);

/// <summary>An API key as staff see it: never the key nor its hash.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Label,
    [property: Id(2)] DateTimeOffset CreatedAt)
{
    [Id(3)] public StaffRole Role { get; init; } = StaffRole.Admin;

    /// <summary>Who made it, when known.</summary>
    [Id(4)] public string? CreatedBy { get; init; }
}

/// <summary>
/// The installation's one directory (key <see cref="Guid.Empty"/>): which company it serves, the hashes of staff
/// API keys, the first admin. Secrets are stored only as hashes; callers hash before calling.
/// </summary>
public interface IStaffDirectoryGrain : IGrainWithGuidKey
{
    Task<InstallationView> Get();

    /// <summary>Sets the company this installation serves, once; later calls with another id are refused.</summary>
    Task SetCompany(Guid companyId);

    /// <summary>Adds an API key by the hex SHA-256 of the key (idempotent: the same hash again answers the same key).</summary>
    Task<ApiKeyView> AddApiKey(string keyHash, string label);

    /// <summary>Every API key, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyView>> ListApiKeys();

    /// <summary>Adds a company's key with a role (admin or member) by the hex SHA-256 of the key.</summary>
    Task<ApiKeyView> AddCompanyApiKey(Guid companyId, string keyHash, string label, StaffRole role, string? createdBy);

    /// <summary>One company's keys, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyView>> ListCompanyApiKeys(Guid companyId);

    /// <summary>Removes one of a company's keys; another company's key answers <c>apikey.not_found</c>.</summary>
    Task RemoveCompanyApiKey(Guid companyId, Guid keyId);

    /// <summary>
    /// Removes an API key; requests with it are refused from then on. <c>apikey.not_found</c> (404) when unknown,
    /// <c>apikey.last</c> (409) for the only key left.
    /// </summary>
    Task RemoveApiKey(Guid keyId);

    /// <summary>The staff principal for an API key hash, or null when unknown.</summary>
    Task<StaffPrincipal?> AuthenticateApiKey(string keyHash);

    /// <summary>Sets the first admin (email and a password hash in PHC-like form), once.</summary>
    Task SetAdmin(string email, string passwordHash);

    /// <summary>The admin's password hash for an email, or null.</summary>
    Task<string?> FindAdminPasswordHash(string email);

    Task MarkDemoSeeded();
}
