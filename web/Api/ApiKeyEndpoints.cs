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
        api.MapGet("/api-keys", async (IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).ListApiKeys()));

        api.MapPost("/api-keys", async (CreateApiKeyRequest request, IGrainFactory grains) =>
        {
            var key = ApiKeyAuthenticationHandler.NewKey();
            // The directory validates the label; only the key's hash is stored.
            var created = await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AddApiKey(ApiKeyAuthenticationHandler.HashKey(key), request.Label ?? string.Empty);
            return TypedResults.Created($"/api/api-keys/{created.Id}", new CreatedApiKeyResponse(created.Id, created.Label, created.CreatedAt, key));
        });

        api.MapDelete("/api-keys/{id:guid}", async (Guid id, IGrainFactory grains) =>
        {
            await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).RemoveApiKey(id);
            return TypedResults.NoContent();
        });
    }
}
