using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;

namespace Portal.Web.Pages.Staff;

/// <summary><c>POST /staff/sign-out</c> ("Sign out") ends this browser's session; a GET shows the button.</summary>
public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(StaffSessions.Scheme);
        return LocalRedirect(StaffSessions.SignInPath);
    }
}
