using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Auth;
using Portal.Web.Hosting;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/forgot-password</c>: emails a reset link (an hour, single use) when an account uses the address. The answer
/// is the same words whether or not one does, so the page tells nobody which addresses have accounts.
/// </summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
public sealed class ForgotPasswordModel(StaffTickets tickets) : PageModel
{
    public const string Answer = "If an account uses this email, we have sent a link to set a new password. It works once, for an hour.";

    public bool Sent { get; private set; }
    public string? Email { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(string? email)
    {
        Email = email?.Trim();
        await tickets.RequestResetAsync(email);
        Sent = true;
    }
}
