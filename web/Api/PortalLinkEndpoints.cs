using System.Security.Claims;
using Portal.Web.Auth;
using Portal.Web.Links;

namespace Portal.Web.Api;

public static class PortalLinkEndpoints
{
    public static void MapPortalLinkEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/clients/{id:guid}/portal-links", async (Guid id, HttpRequest http, ClaimsPrincipal user, IGrainFactory grains, PortalLinkIssuer links) =>
        {
            // The body is optional: without one the link opens "All Projects".
            CreatePortalLinkRequest? request = null;
            if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
            {
                request = await http.ReadFromJsonAsync<CreatePortalLinkRequest>();
            }
            var client = await grains.OwnedClient(user, id);
            var target = request?.Target ?? LinkTargetKind.AllProjects;
            if (target != LinkTargetKind.AllProjects && request?.TargetId is null)
            {
                var check = new RequestValidation();
                check.Add("targetId", "'targetId' is required unless the target is \"all_projects\".");
                return check.Problem();
            }
            var link = await links.IssueAsync(client.CompanyId, client.Id, new LinkTarget(target, target == LinkTargetKind.AllProjects ? null : request!.TargetId), PortalLinkOrigin.Staff);
            return TypedResults.Created($"/api/portal-links/{link.Id}", new PortalLinkResponse(link.Id, link.Url, link.ExpiresAt));
        }).Accepts<CreatePortalLinkRequest>(isOptional: true, "application/json")
            .Produces<PortalLinkResponse>(StatusCodes.Status201Created);

        api.MapGet("/clients/{id:guid}/portal-links", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, ClientPortalLinks links) =>
        {
            var client = await grains.OwnedClient(user, id);
            return TypedResults.Ok(await links.ListAsync(client.CompanyId, client.Id));
        });

        // A POST, not a DELETE on the collection: the links stay listed (as revoked), only their access ends.
        api.MapPost("/clients/{id:guid}/portal-links/revoke", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, ClientPortalLinks links) =>
        {
            var client = await grains.OwnedClient(user, id);
            return TypedResults.Ok(new RevokedLinksResponse(await links.RevokeAllAsync(client.CompanyId, client.Id)));
        });

        api.MapDelete("/portal-links/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var record = await grains.GetGrain<ICompanyGrain>(user.GetCompanyId()).FindPortalLink(id)
                ?? throw PortalRuleViolation.NotFound(RuleCodes.LinkNotFound, $"There is no portal link {id}. Links are forgotten a day after they expire; an expired link lets no one in.");
            await grains.GetGrain<IPortalLinkGrain>(record.TokenHash).Revoke();
            return TypedResults.NoContent();
        });
    }
}
