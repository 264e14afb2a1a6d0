using System.Security.Claims;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>A member of the team as the API shows them.</summary>
public sealed record TeamMemberResponse(Guid Id, string Name, string Email, string Role)
{
    public static TeamMemberResponse From(TeamMember member) => new(member.UserId, member.Name, member.Email, StaffPermissions.Wire(member.Role));
}

/// <summary><c>POST /api/team/invitations</c>: who to invite and as what (<c>admin</c> or <c>member</c>).</summary>
public sealed record InviteRequest(string? Email, string? Role);

/// <summary>An invitation sent: never its link (it went to the invited address only).</summary>
public sealed record InvitationResponse(Guid Id, string Email, string Role, DateTimeOffset ExpiresAt);

/// <summary><c>PUT /api/team/{userId}</c>: the new role; <c>owner</c> hands ownership on (the owner alone may).</summary>
public sealed record ChangeRoleRequest(string? Role);

/// <summary>
/// The company's team: list it, invite by email and role, change a role, remove a member. Every route needs the
/// Administer right (<see cref="StaffApi.RightFor"/>); the team grain applies the rest of the table (nobody but the owner
/// touches the owner). The team is keyed by the caller's company, so another company's user answers 404.
/// </summary>
public static class TeamEndpoints
{
    public static void MapTeamEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/team", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok((await grains.GetGrain<ICompanyTeamGrain>(user.GetCompanyId()).List()).Select(TeamMemberResponse.From).ToList()));

        api.MapPost("/team/invitations", async (InviteRequest request, ClaimsPrincipal user, StaffTickets tickets) =>
        {
            var invitation = await tickets.InviteAsync(user, request.Email, request.Role);
            return TypedResults.Created($"/api/team/invitations/{invitation.Id}",
                new InvitationResponse(invitation.Id, invitation.Email, StaffPermissions.Wire(invitation.Role), invitation.ExpiresAt));
        });

        api.MapPut("/team/{userId:guid}", async (Guid userId, ChangeRoleRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (!StaffPermissions.TryParse(request.Role, out var role))
            {
                throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "role must be owner, admin or member.");
            }
            var member = await grains.GetGrain<ICompanyTeamGrain>(user.GetCompanyId()).ChangeRole(ActorRole(user), userId, role);
            return TypedResults.Ok(TeamMemberResponse.From(member));
        });

        api.MapDelete("/team/{userId:guid}", async (Guid userId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetGrain<ICompanyTeamGrain>(user.GetCompanyId()).Remove(ActorRole(user), userId);
            return TypedResults.NoContent();
        });
    }

    /// <summary>The caller's role, which the team grain checks against the table (an API key acts with its own).</summary>
    public static StaffRole ActorRole(ClaimsPrincipal user) =>
        user.GetCompanyRole() ?? throw PortalRuleViolation.Forbidden("Only owners and admins manage the team.");
}
