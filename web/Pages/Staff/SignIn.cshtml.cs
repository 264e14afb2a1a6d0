using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/sign-in</c>: email and password. Every failure (unknown email, wrong password, locked account) gets the
/// same words; failures also count per network, and the page is rate-limited per network.
/// </summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
public sealed class SignInModel(StaffAccounts accounts, FailureLimiter limiter, TimeProvider clock) : PageModel
{
    public const string Refused = "That email and password do not match an account, or the account is locked for 15 minutes after too many attempts.";

    public string? Error { get; private set; }
    public string? Email { get; private set; }
    public string ReturnUrl { get; private set; } = StaffHome;
    public bool SignUpOpen => accounts.SignUpOpen;

    public const string StaffHome = "/staff/feed";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        Email = email?.Trim();
        var address = FailureLimiter.NetworkOf(HttpContext.Connection.RemoteIpAddress);
        var user = await accounts.PasswordSignInAsync(email, password);
        if (user is null)
        {
            // Only failures count, and only failures are refused: a valid password always signs in.
            limiter.RecordFailure(address);
            Error = limiter.IsBlocked(address) ? "Too many attempts from your network. Please wait a few minutes." : Refused;
            Response.StatusCode = limiter.IsBlocked(address) ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
            return Page();
        }
        if (user.Memberships.Count == 0)
        {
            Error = "Your account does not belong to any company any more. Ask your company's owner to invite you again.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        if (user.Memberships.Count > 1)
        {
            // Several companies: the person picks one; the choice is proved by a short-lived sign-in of its own.
            await HttpContext.SignInAsync(StaffSessions.Scheme, StaffSessions.CreatePrincipal(user, user.Memberships[0].CompanyId, user.Memberships[0].Role, clock.GetUtcNow()));
            return LocalRedirect("/staff/companies?returnUrl=" + Uri.EscapeDataString(ReturnUrl));
        }
        var membership = user.Memberships[0];
        await HttpContext.SignInAsync(StaffSessions.Scheme, StaffSessions.CreatePrincipal(user, membership.CompanyId, membership.Role, clock.GetUtcNow()));
        return LocalRedirect(ReturnUrl);
    }

    public static string Local(string? url) =>
        url is { Length: > 1 } && url.StartsWith("/staff", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : StaffHome;
}
