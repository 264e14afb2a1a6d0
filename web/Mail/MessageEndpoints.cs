using System.Security.Claims;
using Portal.Web.Api;
using Portal.Web.Auth;

namespace Portal.Web.Mail;

/// <summary>
/// The response of a send that emailed the client: the document's status, the link in the email, the id of the stored
/// message and the id of the link (to find it in <c>GET /api/clients/{id}/portal-links</c> or revoke it).
/// </summary>
public sealed record MailedResponse(string Status, string PortalUrl, Guid MessageId, Guid LinkId)
{
    public static MailedResponse Of(MailedDocument sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return new(sent.Status, sent.Link.Url, sent.Message.Id, sent.Link.Id);
    }
}

/// <summary>Staff see each project's messages and their delivery: pending, sending, sent or failed, with every attempt.</summary>
public static class MessageEndpoints
{
    public static void MapMessageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:guid}/messages", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedProject(user, id);
            return TypedResults.Ok(await grains.GetGrain<IProjectMailGrain>(id).List());
        });

        api.MapGet("/messages/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var message = await grains.GetGrain<IMailMessageGrain>(id).Get();
            return message.CompanyId == user.GetCompanyId()
                ? TypedResults.Ok(message)
                : throw PortalRuleViolation.NotFound(RuleCodes.MailNotFound, $"There is no message {id}.");
        });
    }
}
