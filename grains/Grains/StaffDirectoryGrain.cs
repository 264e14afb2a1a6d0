using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>The installation's one directory; callers use the key <see cref="Guid.Empty"/>.</summary>
public sealed class StaffDirectoryGrain(
    [PersistentState("staffdirectory", StorageNames.Portal)] IPersistentState<StaffDirectoryState> state,
    ILogger<StaffDirectoryGrain> logger)
    : AuditingGrain<StaffDirectoryState>(state, logger), IStaffDirectoryGrain
{
    public Task<InstallationView> Get() => Task.FromResult(State.ToView());

    public async Task SetCompany(Guid companyId)
    {
        if (State.SetCompany(companyId))
        {
            await CommitAsync();
        }
    }

    public async Task<ApiKeyView> AddApiKey(string keyHash, string label)
    {
        if (State.AddApiKey(keyHash, label, Now))
        {
            await CommitAsync();
        }
        return State.FindApiKey(keyHash);
    }

    public Task<IReadOnlyList<ApiKeyView>> ListApiKeys() => Task.FromResult(State.ListApiKeys());

    public async Task<ApiKeyView> AddCompanyApiKey(Guid companyId, string keyHash, string label, StaffRole role, string? createdBy)
    {
        if (State.AddApiKey(keyHash, label, Now, companyId, role, createdBy))
        {
            var added = State.FindApiKey(keyHash);
            await OweAudit(companyId, AuditActions.ApiKeyAdded, $"{added.Label} ({StaffPermissions.Wire(added.Role)})");
            await CommitAsync();
        }
        await DeliverAuditAsync();
        return State.FindApiKey(keyHash);
    }

    public Task<IReadOnlyList<ApiKeyView>> ListCompanyApiKeys(Guid companyId) => Task.FromResult(State.ListApiKeys(companyId));

    public async Task RemoveCompanyApiKey(Guid companyId, Guid keyId)
    {
        var removed = State.RemoveApiKey(keyId, companyId);
        await OweRemovalAuditAsync(removed);
        await CommitAsync();
        await KeyRemovedAsync(removed);
    }

    public async Task RemoveApiKey(Guid keyId)
    {
        var removed = State.RemoveApiKey(keyId);
        await OweRemovalAuditAsync(removed);
        await CommitAsync();
        await KeyRemovedAsync(removed);
    }

    private async Task OweRemovalAuditAsync(ApiKeyEntry removed)
    {
        if (State.CompanyOfKey(removed) is { } companyId)
        {
            await OweAudit(companyId, AuditActions.ApiKeyRemoved, removed.Label);
        }
    }

    /// <summary>After a stored removal: its audit entry, and staff hub connections that proved the key close now on every node.</summary>
    private async Task KeyRemovedAsync(ApiKeyEntry removed)
    {
        await DeliverAuditAsync();
        if (State.CompanyOfKey(removed) is { } companyId)
        {
            await NotifyAsync("tell the live feed an API key was removed",
                () => GrainFactory.GetGrain<ICompanyFeedGrain>(companyId).ApiKeyRemoved(removed.KeyHash));
        }
    }

    public Task<StaffPrincipal?> AuthenticateApiKey(string keyHash) => Task.FromResult(State.AuthenticateApiKey(keyHash));

    public async Task SetAdmin(string email, string passwordHash)
    {
        if (State.SetAdmin(email, passwordHash))
        {
            await CommitAsync();
        }
    }

    public Task<string?> FindAdminPasswordHash(string email) => Task.FromResult(State.FindAdminPasswordHash(email));

    public async Task MarkDemoSeeded()
    {
        if (State.MarkDemoSeeded())
        {
            await CommitAsync();
        }
    }
}
