using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class ClientGrain(
    [PersistentState("client", StorageNames.Portal)] IPersistentState<ClientState> state,
    ILogger<ClientGrain> logger)
    : NoticeGrain<ClientState>(state, logger), IClientGrain
{
    public async Task<ClientView> Create(Guid companyId, ClientDetails details)
    {
        if (State.Created)
        {
            throw new PortalRuleViolation(RuleCodes.ClientExists, "This client already exists.");
        }
        var company = GrainFactory.GetGrain<ICompanyGrain>(companyId);
        if (companyId == Guid.Empty || !await company.Exists())
        {
            throw PortalRuleViolation.NotFound(RuleCodes.CompanyNotFound, "There is no such company.");
        }

        State.Create(companyId, details, Now);
        await OweAsync(Notices.CompanyClients);
        await CommitAsync();
        await TellAsync();
        return State.ToView(this.GetPrimaryKey());
    }

    public Task<ClientView> Get() => Task.FromResult(State.ToView(this.GetPrimaryKey()));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public async Task<ClientView> Update(ClientDetails details)
    {
        State.Update(details);
        await CommitAsync();
        return State.ToView(this.GetPrimaryKey());
    }

    public async Task TrackProject(ClientProjectEntry entry)
    {
        if (State.TrackProject(entry))
        {
            await CommitAsync();
        }
    }

    public Task<ClientProjectsView> GetProjects() => Task.FromResult(State.ToProjectsView());

    protected override (string What, Func<Task> Notify) Notice(Notices notice) => notice switch
    {
        Notices.CompanyClients => ("register the client with its company", () => GrainFactory.GetGrain<ICompanyGrain>(State.CompanyId).RegisterClient(this.GetPrimaryKey())),
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice, "A client owes no such notice."),
    };
}
