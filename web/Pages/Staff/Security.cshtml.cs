using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;

namespace Portal.Web.Pages.Staff;

/// <summary>
/// <c>/staff/security</c> (a signed-in session only): the person's passkeys, with name, when added and when last used;
/// "Add a passkey" (wwwroot/js/passkeys.js runs the browser's ceremony against <see cref="StaffPasskeys"/>) and
/// "Remove", which takes effect at once; and "Sign out everywhere" (_SignOutEverywhere, posted to its own page).
/// </summary>
[Authorize(Policy = StaffClaims.Policy, AuthenticationSchemes = StaffSessions.Scheme)]
public sealed class SecurityModel(IGrainFactory grains) : PageModel
{
    public const string Path = "/staff/security";

    public IReadOnlyList<StaffPasskey> Passkeys { get; private set; } = [];
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done)
    {
        if (User.GetUserId() is not { } userId)
        {
            return Challenge(StaffSessions.Scheme);
        }
        Notice = done switch
        {
            "added" => "Passkey added. You can sign in with it from the sign-in page.",
            "removed" => "Passkey removed. It no longer signs you in.",
            _ => null,
        };
        Passkeys = await grains.GetGrain<IStaffUserGrain>(userId).ListPasskeys();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? credentialId)
    {
        if (User.GetUserId() is not { } userId)
        {
            return Challenge(StaffSessions.Scheme);
        }
        if (string.IsNullOrEmpty(credentialId) || !await grains.GetGrain<IStaffUserGrain>(userId).RemovePasskey(credentialId))
        {
            return NotFound();
        }
        return LocalRedirect("/staff/security?done=removed");
    }

    public static string When(DateTimeOffset? at) => at is { } value ? value.ToString("d MMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "Never";
}
