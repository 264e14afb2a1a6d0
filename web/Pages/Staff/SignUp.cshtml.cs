using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Pages.Staff;

/// <summary><c>/staff/sign-up</c>: a new company and its owner, signed in at once. Open as <c>Portal:SignUp:Open</c> says.</summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
public sealed class SignUpModel(StaffAccounts accounts, TimeProvider clock) : PageModel
{
    public bool Open => accounts.SignUpOpen;
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string? CompanyName { get; private set; }
    public string? Name { get; private set; }
    public string? Email { get; private set; }

    public IActionResult OnGet()
    {
        if (!Open)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? companyName, string? name, string? email, string? password)
    {
        if (!Open)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        (CompanyName, Name, Email) = (companyName?.Trim(), name?.Trim(), email?.Trim());
        var result = await accounts.SignUpAsync(companyName, name, email, password);
        if (result.User is not { } user || result.CompanyId is not { } companyId)
        {
            Errors = result.Errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await HttpContext.SignInAsync(StaffSessions.Scheme, StaffSessions.CreatePrincipal(user, companyId, StaffRole.Owner, clock.GetUtcNow()));
        return LocalRedirect(SignInModel.StaffHome);
    }
}
