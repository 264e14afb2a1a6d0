using System.Security.Claims;
using Portal.Web.Auth;
using Portal.Web.Hosting;
using Portal.Web.Mail;

namespace Portal.Web.Api;

/// <summary>The staff JSON API under <c>/api</c>; every route needs staff authentication.</summary>
public static class StaffApi
{
    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(StaffClaims.Policy).RequireRateLimiting(RateLimits.ApiPolicy).WithProblemResponses();
        Tagged(api, "Company").MapCompanyEndpoints();
        Tagged(api, "Clients").MapClientEndpoints();
        Tagged(api, "Projects").MapProjectEndpoints();
        Tagged(api, "Proposals").MapProposalEndpoints();
        Tagged(api, "Invoices").MapInvoiceEndpoints();
        Tagged(api, "Portal links").MapPortalLinkEndpoints();
        Tagged(api, "Messages").MapMessageEndpoints();
        Tagged(api, "API keys").MapApiKeyEndpoints();
        Tagged(api, "Live").MapLiveTokenEndpoints();
        return app;
    }

    /// <summary>The same prefix, named: each part of the API is one tag of its OpenAPI document.</summary>
    private static RouteGroupBuilder Tagged(RouteGroupBuilder api, string tag) => api.MapGroup(string.Empty).WithTags(tag);

    // Another company's resource answers exactly like an unknown one, so ids cannot be probed.

    internal static async Task<ClientView> OwnedClient(this IGrainFactory grains, ClaimsPrincipal user, Guid id)
    {
        var client = await grains.GetGrain<IClientGrain>(id).Get();
        return client.CompanyId == user.GetCompanyId() ? client : throw NotFound(RuleCodes.ClientNotFound, "client", id);
    }

    internal static async Task<ProjectView> OwnedProject(this IGrainFactory grains, ClaimsPrincipal user, Guid id)
    {
        var project = await grains.GetGrain<IProjectGrain>(id).Get();
        return project.CompanyId == user.GetCompanyId() ? project : throw NotFound(RuleCodes.ProjectNotFound, "project", id);
    }

    internal static async Task<ProposalView> OwnedProposal(this IGrainFactory grains, ClaimsPrincipal user, Guid id)
    {
        var proposal = await grains.GetGrain<IProposalGrain>(id).Get();
        return proposal.CompanyId == user.GetCompanyId() ? proposal : throw NotFound(RuleCodes.ProposalNotFound, "proposal", id);
    }

    internal static async Task<InvoiceView> OwnedInvoice(this IGrainFactory grains, ClaimsPrincipal user, Guid id)
    {
        var invoice = await grains.GetGrain<IInvoiceGrain>(id).Get();
        return invoice.CompanyId == user.GetCompanyId() ? invoice : throw NotFound(RuleCodes.InvoiceNotFound, "invoice", id);
    }

    private static PortalRuleViolation NotFound(string code, string what, Guid id) =>
        PortalRuleViolation.NotFound(code, $"There is no {what} {id}.");

    internal static string Wire<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
