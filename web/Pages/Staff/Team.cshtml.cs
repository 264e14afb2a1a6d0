using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/team</c>: the members (name, email, role), an invitation form, and per member a role change and removal.
/// Owners and admins only (anyone else gets the friendly 403 page); the team grain applies the rest of the table, so
/// an admin's attempt on the owner is refused with 403 and changes nothing.
/// </summary>
[Authorize(Policy = Policy)]
public sealed class TeamModel(IGrainFactory grains, StaffTickets tickets) : PageModel
{
    /// <summary>The Administer right's policy (<see cref="StaffRights.PolicyFor"/>).</summary>
    public const string Policy = "staff-right:" + nameof(StaffRight.Administer);

    public IReadOnlyList<TeamMember> Members { get; private set; } = [];
    public StaffRole ActorRole { get; private set; } = StaffRole.Member;
    public Guid? ActorId { get; private set; }
    public string CompanyName { get; private set; } = "";
    public string? Notice { get; private set; }
    public string? Error { get; private set; }
    public string? InviteEmail { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostInviteAsync(string? email, string? role)
    {
        InviteEmail = email?.Trim();
        return await ActAsync(async () =>
        {
            var invitation = await tickets.InviteAsync(User, email, role);
            InviteEmail = null;
            return $"Invitation sent to {invitation.Email}. The link works for 72 hours.";
        });
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid userId, string? role) => await ActAsync(async () =>
    {
        if (!StaffPermissions.TryParse(role, out var newRole))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "Choose owner, admin or member.");
        }
        var member = await grains.GetGrain<ICompanyTeamGrain>(User.GetCompanyId()).ChangeRole(Api.TeamEndpoints.ActorRole(User), userId, newRole);
        return $"{member.Name} is now {(member.Role == StaffRole.Admin ? "an" : "a")} {StaffPermissions.Wire(member.Role)}.";
    });

    public async Task<IActionResult> OnPostRemoveAsync(Guid userId) => await ActAsync(async () =>
    {
        await grains.GetGrain<ICompanyTeamGrain>(User.GetCompanyId()).Remove(Api.TeamEndpoints.ActorRole(User), userId);
        return "Removed from the team. Their sessions have ended.";
    });

    /// <summary>Whether the signed-in person may change or remove <paramref name="member"/> (the table; the grain decides).</summary>
    public bool MayManage(TeamMember member) =>
        member.UserId != ActorId && (member.Role != StaffRole.Owner || ActorRole == StaffRole.Owner);

    private async Task<IActionResult> ActAsync(Func<Task<string>> action)
    {
        try
        {
            Notice = await action();
        }
        catch (PortalRuleViolation refused)
        {
            Error = refused.Message;
            Response.StatusCode = refused.Kind switch
            {
                RuleKind.Forbidden => StatusCodes.Status403Forbidden,
                RuleKind.NotFound => StatusCodes.Status404NotFound,
                RuleKind.Invalid => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            };
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var companyId = User.GetCompanyId();
        ActorRole = User.GetCompanyRole() ?? StaffRole.Member;
        ActorId = User.GetUserId();
        CompanyName = (await grains.GetGrain<ICompanyGrain>(companyId).Get()).Name;
        ViewData["Company"] = CompanyName;
        Members = [.. (await grains.GetGrain<ICompanyTeamGrain>(companyId).List()).OrderBy(m => m.Role).ThenBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase)];
    }
}
