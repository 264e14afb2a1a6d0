using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;
using Portal.Web.Live;

namespace Portal.Web.Pages.Staff;

/// <summary>Turns the staff API key, entered once, into a staff session cookie for the live feed (see <see cref="StaffLive"/>).</summary>
[EnableRateLimiting(RateLimits.SignInPolicy)]
public sealed class SignInModel(IGrainFactory grains, FailureLimiter limiter) : PageModel
{
    public string? Error { get; private set; }
    public string ReturnUrl { get; private set; } = "/staff/feed";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? apiKey, string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        var address = FailureLimiter.NetworkOf(HttpContext.Connection.RemoteIpAddress);
        var staff = apiKey is { Length: <= 200 } ? await StaffLive.AuthenticateKeyAsync(grains, apiKey) : null;
        if (staff is null)
        {
            // Only failures count, and only failures are refused: a valid key always signs in.
            limiter.RecordFailure(address);
            if (limiter.IsBlocked(address))
            {
                Error = "Too many attempts. Please wait a few minutes.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            }
            Error = "That key is not valid. Check it and try again.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        var principal = StaffLive.CreatePrincipal(staff, ApiKeyAuthenticationHandler.HashKey(apiKey!.Trim()), StaffLive.SessionScheme);
        await HttpContext.SignInAsync(StaffLive.SessionScheme, principal);
        return LocalRedirect(ReturnUrl);
    }

    private string Local(string? url) => url is { Length: > 0 } && Url.IsLocalUrl(url) && url.StartsWith("/staff/", StringComparison.Ordinal) ? url : "/staff/feed";
}
