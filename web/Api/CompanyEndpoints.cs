using System.Security.Claims;
using Portal.Domain;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public static class CompanyEndpoints
{
    public static void MapCompanyEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/company", (ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetGrain<ICompanyGrain>(user.GetCompanyId()).Get());

        api.MapPut("/company", async (CompanySettings settings, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            // The name is the display name of every email the company sends; a line break there is header injection.
            if (MailHeaders.HasControlCharacters(settings.Name))
            {
                var check = new RequestValidation();
                check.Add("name", "'name' must not contain line breaks or other control characters.");
                return check.Problem();
            }
            return TypedResults.Ok(await grains.GetGrain<ICompanyGrain>(user.GetCompanyId()).UpdateSettings(settings));
        }).Produces<CompanyView>();

        // The company audit log: team, settings and API key changes, who made them, and whether the hash chain holds.
        api.MapGet("/company/audit", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(CompanyAuditResponse.From(await grains.GetGrain<ICompanyAuditGrain>(user.GetCompanyId()).Get())));
    }
}
