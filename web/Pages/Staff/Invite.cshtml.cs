using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/invite/{token}</c>: a new person sets their name and password; someone with an account gives its password.
/// Either way they join the team with the invited role and land signed in. Unknown links answer 404, used or expired
/// ones 410, each with a page that says what to do.
/// </summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
public sealed class InviteModel(StaffTickets tickets, IGrainFactory grains, TimeProvider clock) : PageModel
{
    public StaffTicketView? Invitation { get; private set; }
    public string CompanyName { get; private set; } = "";
    public bool HasAccount { get; private set; }
    public string? Refusal { get; private set; }
    public string? Name { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(string token)
    {
        await LoadAsync(token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, string? name, string? password)
    {
        if (!await LoadAsync(token))
        {
            return Page();
        }
        Name = name?.Trim();
        try
        {
            var result = await tickets.AcceptInvitationAsync(token, name, password);
            if (result.User is not { } user)
            {
                Errors = result.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            return LocalRedirect(await StaffLinkSignIn.SignInAsync(HttpContext, user, result.CompanyId, clock.GetUtcNow()));
        }
        catch (PortalRuleViolation refused) when (refused.Kind is RuleKind.NotFound or RuleKind.Gone)
        {
            Refuse(refused);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(string token)
    {
        try
        {
            Invitation = await tickets.CheckInvitationAsync(token);
            CompanyName = (await grains.GetGrain<ICompanyGrain>(Invitation.CompanyId).Get()).Name;
            HasAccount = await tickets.HasAccountAsync(Invitation.Email);
            return true;
        }
        catch (PortalRuleViolation refused) when (refused.Kind is RuleKind.NotFound or RuleKind.Gone)
        {
            Refuse(refused);
            return false;
        }
    }

    private void Refuse(PortalRuleViolation refused)
    {
        Invitation = null;
        Response.StatusCode = refused.Kind == RuleKind.Gone ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound;
        Refusal = refused.Code switch
        {
            RuleCodes.StaffTicketUsed => "This invitation has already been used. If that was you, sign in; otherwise ask for a new invitation.",
            RuleCodes.StaffTicketExpired => "This invitation has expired. Ask the person who invited you to send a new one.",
            _ => "We could not find this invitation. Check that you opened the whole link from the email.",
        };
    }
}
