using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Live;

namespace Portal.Web.Pages.Staff;

/// <summary><c>/staff/security</c>: the signed-in person's security settings ("Sign out everywhere").</summary>
[Authorize(Policy = StaffLive.Policy)]
public sealed class SecurityModel : PageModel
{
    public const string Path = "/staff/security";

    public void OnGet()
    {
    }
}
