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
    }
}
