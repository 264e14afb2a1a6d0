using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;
using Portal.Web.Live;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>POST /staff/security/sign-out-everywhere</c> ("Sign out everywhere", a form on <c>/staff/security</c>): changes the
/// account's security stamp, so every session of the person is refused from its next request and their open staff
/// hub connections close on every web node; this browser is signed out too. A GET goes back to the security page.
/// </summary>
[Authorize(Policy = StaffLive.Policy)]
public sealed class SignOutEverywhereModel(IGrainFactory grains) : PageModel
{
    public const string Path = "/staff/security/sign-out-everywhere";

    public IActionResult OnGet() => LocalRedirect(SecurityModel.Path);

    public async Task<IActionResult> OnPostAsync()
    {
        // An API key is no person: there are no sessions of its own to end.
        if (User.GetUserId() is not { } userId)
        {
            return Forbid();
        }
        await grains.GetGrain<IStaffUserGrain>(userId).EndSessions();
        await HttpContext.SignOutAsync(StaffSessions.Scheme);
        return LocalRedirect(StaffSessions.SignInPath);
    }
}
