using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class CompanyGrain(
    [PersistentState("company", StorageNames.Portal)] IPersistentState<CompanyState> state,
    ILogger<CompanyGrain> logger)
    : AuditingGrain<CompanyState>(state, logger), ICompanyGrain
{
    public async Task<CompanyView> Create(string name, CompanySettings? settings = null)
    {
        State.Create(name, settings, Now);
        await CommitAsync();
        return State.ToView(this.GetPrimaryKey());
    }

    public Task<CompanyView> Get() => Task.FromResult(State.ToView(this.GetPrimaryKey()));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public Task<TermsOfBusiness?> GetTerms(int version) => Task.FromResult(State.TermsVersion(version));

    public async Task<CompanyView> UpdateSettings(CompanySettings settings)
    {
        State.UpdateSettings(settings);
        await OweAudit(this.GetPrimaryKey(), AuditActions.SettingsChanged, SettingsNamed(settings));
        await CommitAsync();
        await DeliverAuditAsync();
        return State.ToView(this.GetPrimaryKey());
    }

    public async Task<int> AllocateProjectNumber()
    {
        var number = State.AllocateProjectNumber();
        await CommitAsync();
        return number;
    }

    public async Task<string> AllocateDocumentNumber(DocumentKind kind)
    {
        var number = State.AllocateDocumentNumber(kind);
        await CommitAsync();
        return number;
    }

    public async Task RegisterClient(Guid clientId)
    {
        if (State.RegisterClient(clientId))
        {
            await CommitAsync();
        }
    }

    public async Task RegisterProject(Guid projectId)
    {
        if (State.RegisterProject(projectId))
        {
            await CommitAsync();
        }
    }

    public Task<IReadOnlyList<Guid>> GetClientIds()
    {
        State.EnsureCreated();
        return Task.FromResult<IReadOnlyList<Guid>>([.. State.ClientIds]);
    }

    public Task<IReadOnlyList<Guid>> GetProjectIds()
    {
        State.EnsureCreated();
        return Task.FromResult<IReadOnlyList<Guid>>([.. State.ProjectIds]);
    }

    public async Task RegisterPortalLink(PortalLinkRecord link)
    {
        if (State.RegisterPortalLink(link, Now))
        {
            await CommitAsync();
        }
    }

    public Task<PortalLinkRecord?> FindPortalLink(Guid linkId) => Task.FromResult(State.FindPortalLink(linkId, Now));

    /// <summary>Also forgets the links past their grace, so a company that issues no more links still sheds them.</summary>
    public async Task<IReadOnlyList<PortalLinkRecord>> ListPortalLinks(Guid clientId)
    {
        var links = State.ListPortalLinks(clientId, Now);
        if (State.PruneExpiredLinks(Now) > 0)
        {
            try
            {
                await CommitAsync();
            }
            catch (Exception failure)
            {
                // The list is right either way (forgotten links are never listed); the next list or link tries again.
                Logger.LogWarning(failure, "Company {CompanyId} could not store its pruned link index", this.GetPrimaryKey());
            }
        }
        return links;
    }

    /// <summary>The settings a change set (its non-null fields), as the API names them: "name, vatNumber".</summary>
    private static string SettingsNamed(CompanySettings settings) =>
        string.Join(", ", typeof(CompanySettings).GetProperties()
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetValue(settings) is not null)
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
}
