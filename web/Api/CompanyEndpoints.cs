using System.Security.Claims;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public static class CompanyEndpoints
{
    public static void MapCompanyEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/company", (ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetGrain<ICompanyGrain>(user.GetCompanyId()).Get());

        api.MapPut("/company", async (CompanySettings settings, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ICompanyGrain>(user.GetCompanyId()).UpdateSettings(settings)));
    }
}
