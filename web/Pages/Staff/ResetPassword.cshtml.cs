using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/reset-password/{token}</c>: a new password (the password policy applies); every other session of the account
/// ends and this one is signed in. Unknown links answer 404, used or expired ones 410.
/// </summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
public sealed class ResetPasswordModel(StaffTickets tickets, TimeProvider clock) : PageModel
{
    public bool Valid { get; private set; }
    public string? Email { get; private set; }
    public string? Refusal { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        await LoadAsync(token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, string? password)
    {
        if (!await LoadAsync(token))
        {
            return Page();
        }
        try
        {
            var result = await tickets.ResetPasswordAsync(token, password);
            if (result.User is not { } user)
            {
                Error = result.Errors.GetValueOrDefault("password");
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
            Email = (await tickets.CheckResetAsync(token)).Email;
            Valid = true;
        }
        catch (PortalRuleViolation refused) when (refused.Kind is RuleKind.NotFound or RuleKind.Gone)
        {
            Refuse(refused);
        }
        return Valid;
    }

    private void Refuse(PortalRuleViolation refused)
    {
        Valid = false;
        Response.StatusCode = refused.Kind == RuleKind.Gone ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound;
        Refusal = refused.Code switch
        {
            RuleCodes.StaffTicketUsed => "This link has already been used. Ask for a new one if you still need to set your password.",
            RuleCodes.StaffTicketExpired => "This link has expired: reset links work for an hour. Ask for a new one.",
            _ => "We could not find this link. Check that you opened the whole link from the email, or ask for a new one.",
        };
    }
}
