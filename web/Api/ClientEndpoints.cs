using System.Security.Claims;
using Portal.Web.Application;
using Portal.Web.Auth;

namespace Portal.Web.Api;

public static class ClientEndpoints
{
    public static void MapClientEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/clients", async (CreateClientRequest request, ClaimsPrincipal user, StaffOperations operations) =>
        {
            var check = new RequestValidation();
            var name = check.RequireText("name", request.Name);
            var email = check.RequireEmail("email", request.Email);
            var phone = check.OptionalText("phone", request.Phone, 40);
            var address = check.OptionalText("address", request.Address, 500, multiline: true);
            if (!check.IsValid)
            {
                return check.Problem();
            }

            var client = await operations.CreateClientAsync(user.GetCompanyId(), new ClientDetails(name, email, phone, address));
            return TypedResults.Created($"/api/clients/{client.Id}", new CreatedResponse(client.Id));
        }).Produces<CreatedResponse>(StatusCodes.Status201Created);

        api.MapGet("/clients/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var client = await grains.OwnedClient(user, id);
            var projects = await grains.GetGrain<IClientGrain>(id).GetProjects();
            return TypedResults.Ok(new ClientResponse(client.Id, client.Name, client.Email, client.Phone, client.Address, client.CreatedAt, projects));
        });
    }
}
