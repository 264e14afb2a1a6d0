using System.Security.Claims;

namespace Portal.Web.ClientPortal;

/// <summary>
/// What a portal request knows about its client, and the only way pages load documents: each load checks the
/// document belongs to the session's client and answers "not found" otherwise, so ids cannot be probed.
/// </summary>
public sealed class PortalContext(IHttpContextAccessor http, IGrainFactory grains)
{
    private CompanyView? _company;

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public bool HasSession => User.IsPortalClient();
    public Guid ClientId => User.ClientId();
    public Guid CompanyId => User.CompanyId();
    public Actor Actor => User.ToClientActor();
    public string ClientName => User.FindFirstValue(ClaimTypes.Name) ?? string.Empty;

    /// <summary>The company whose portal this is (null only on pages reached without a session).</summary>
    public async Task<CompanyView?> GetCompanyAsync()
    {
        if (_company is null && HasSession)
        {
            _company = await grains.GetGrain<ICompanyGrain>(CompanyId).Get();
        }
        return _company;
    }

    public void UseCompany(CompanyView company) => _company = company;

    /// <summary>One published version of the company's terms of business, or null when there is no such version.</summary>
    public Task<TermsOfBusiness?> GetTermsAsync(int version) =>
        version > 0 && HasSession ? grains.GetGrain<ICompanyGrain>(CompanyId).GetTerms(version) : Task.FromResult<TermsOfBusiness?>(null);

    public async Task<ProjectView?> FindProjectAsync(Guid id)
    {
        var project = await OrNull(grains.GetGrain<IProjectGrain>(id).Get());
        return project is not null && project.ClientId == ClientId && project.CompanyId == CompanyId ? project : null;
    }

    public async Task<ProposalView?> FindProposalAsync(Guid id)
    {
        var proposal = await OrNull(grains.GetGrain<IProposalGrain>(id).Get());
        // Drafts are staff-only until sent.
        return proposal is not null && proposal.ClientId == ClientId && proposal.CompanyId == CompanyId && proposal.Status != ProposalStatus.Draft ? proposal : null;
    }

    public async Task<InvoiceView?> FindInvoiceAsync(Guid id)
    {
        var invoice = await OrNull(grains.GetGrain<IInvoiceGrain>(id).Get());
        return invoice is not null && invoice.ClientId == ClientId && invoice.CompanyId == CompanyId && invoice.Status != InvoiceStatus.Draft ? invoice : null;
    }

    // One grain call per load: an unknown id answers NotFound, which the portal shows as "not found".
    private static async Task<T?> OrNull<T>(Task<T> load) where T : class
    {
        try
        {
            return await load;
        }
        catch (PortalRuleViolation rule) when (rule.Kind == RuleKind.NotFound)
        {
            return null;
        }
    }

    public Task<ClientView> GetClientAsync() => grains.GetGrain<IClientGrain>(ClientId).Get();

    public Task<ClientProjectsView> GetProjectsAsync() => grains.GetGrain<IClientGrain>(ClientId).GetProjects();

    public Task<ProposalView> MarkProposalViewedAsync(Guid id) => grains.GetGrain<IProposalGrain>(id).MarkViewed(Actor);

    public Task<InvoiceView> MarkInvoiceViewedAsync(Guid id) => grains.GetGrain<IInvoiceGrain>(id).MarkViewed(Actor);
}
