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
        api.AddEndpointFilter(CookieAntiforgery);
        // Every route needs the right the permission table gives its kind of work, decided in one place (RightFor).
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route
                && route.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().FirstOrDefault()?.HttpMethods is [{ } method, ..])
            {
                route.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(StaffRights.PolicyFor(RightFor(method, route.RoutePattern.RawText ?? ""))));
            }
        });
        Tagged(api, "Company").MapCompanyEndpoints();
        Tagged(api, "Clients").MapClientEndpoints();
        Tagged(api, "Projects").MapProjectEndpoints();
        Tagged(api, "Proposals").MapProposalEndpoints();
        Tagged(api, "Invoices").MapInvoiceEndpoints();
        Tagged(api, "Portal links").MapPortalLinkEndpoints();
        Tagged(api, "Messages").MapMessageEndpoints();
        Tagged(api, "API keys").MapApiKeyEndpoints();
        Tagged(api, "Live").MapLiveTokenEndpoints();
        Tagged(api, "Team").MapTeamEndpoints();
        Tagged(api, "Exports").MapExportEndpoints();
        return app;
    }

    /// <summary>
    /// The right a staff API route needs (see <see cref="StaffPermissions"/>): keys and settings need Administer; invoices
    /// ReadInvoices to read and ChangeInvoices to change (creating one too); proposals Proposals; exports Money; everything else Work.
    /// </summary>
    public static StaffRight RightFor(string method, string route)
    {
        var path = route.TrimEnd('/');
        var reads = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        return path switch
        {
            _ when path.StartsWith("/api/api-keys", StringComparison.Ordinal) => StaffRight.Administer,
            "/api/company" when !reads => StaffRight.Administer,
            "/api/company/audit" => StaffRight.Administer,
            _ when path.StartsWith("/api/invoices", StringComparison.Ordinal) => reads ? StaffRight.ReadInvoices : StaffRight.ChangeInvoices,
            _ when path.EndsWith("/invoices", StringComparison.Ordinal) && !reads => StaffRight.ChangeInvoices,
            _ when path.StartsWith("/api/proposals", StringComparison.Ordinal) || path.EndsWith("/proposals", StringComparison.Ordinal) => StaffRight.Proposals,
            _ when path.StartsWith("/api/team", StringComparison.Ordinal) => StaffRight.Administer,
            _ when path.StartsWith("/api/exports", StringComparison.Ordinal) => StaffRight.Money,
            _ => StaffRight.Work,
        };
    }

    /// <summary>
    /// A signed-in person's browser sends its session cookie by itself, so an unsafe API call on a session must carry
    /// the antiforgery token (form field, or header <c>RequestVerificationToken</c>); bearer keys are not sent by browsers and need none.
    /// </summary>
    private static async ValueTask<object?> CookieAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.AuthenticationType == StaffSessions.Scheme
            && !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)))
        {
            await http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().ValidateRequestAsync(http);
        }
        return await next(context);
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
