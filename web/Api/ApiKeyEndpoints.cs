using System.Security.Claims;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>
/// Staff API keys: list them (never a key or its hash), add one (the key is shown once, in the answer), remove one.
/// Every request looks its key up in the staff directory grain, so a removed key is refused at once on every node.
/// </summary>
public static class ApiKeyEndpoints
{
    public static void MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/api-keys", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).ListCompanyApiKeys(user.GetCompanyId())));

        api.MapPost("/api-keys", async (CreateApiKeyRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var role = StaffRole.Admin;
            if (request.Role is { } wire && (!StaffPermissions.TryParse(wire, out role) || role == StaffRole.Owner))
            {
                throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "role must be admin or member.");
            }
            var key = ApiKeyAuthenticationHandler.NewKey();
            // The directory validates the name; only the key's hash is stored.
            var created = await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AddCompanyApiKey(
                user.GetCompanyId(), ApiKeyAuthenticationHandler.HashKey(key), request.Name ?? request.Label ?? string.Empty, role, user.Identity?.Name);
            return TypedResults.Created($"/api/api-keys/{created.Id}", new CreatedApiKeyResponse(created.Id, created.Label, created.CreatedAt, key));
        });

        api.MapDelete("/api-keys/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).RemoveCompanyApiKey(user.GetCompanyId(), id);
            return TypedResults.NoContent();
        });
    }
}
