using System.Security.Claims;
using Portal.Web.Auth;
using Portal.Web.Mail;

namespace Portal.Web.Api;

public static class ProposalEndpoints
{
    public static void MapProposalEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/proposals/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.OwnedProposal(user, id)));

        api.MapPut("/proposals/{id:guid}", async (Guid id, EditProposalRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var check = new RequestValidation();
            var validUntil = check.Require("validUntil", request.ValidUntil);
            var lines = check.RequireLines(request.Lines);
            var notes = check.OptionalText("notes", request.Notes, 4000, multiline: true);
            if (!check.IsValid)
            {
                return check.Problem();
            }
            await grains.OwnedProposal(user, id);
            return TypedResults.Ok(await grains.GetGrain<IProposalGrain>(id).Edit(new EditProposal(lines, notes, validUntil)));
        });

        api.MapPost("/proposals/{id:guid}/send", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, DocumentMailer mailer) =>
        {
            var proposal = await grains.OwnedProposal(user, id);
            var sent = await mailer.SendProposalAsync(proposal);
            return TypedResults.Ok(new MailedResponse(sent.Status, sent.Link.Url, sent.Message.Id));
        });

        api.MapPost("/proposals/{id:guid}/withdraw", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedProposal(user, id);
            var proposal = await grains.GetGrain<IProposalGrain>(id).Withdraw();
            return TypedResults.Ok(new StatusResponse(StaffApi.Wire(proposal.Status)));
        });
    }
}
