using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;
using Portal.Web.Live;

namespace Portal.Web.Pages.Staff;

/// <summary><c>/staff/feed</c>: client activity and presence, live over <c>/hubs/staff</c>, until the staff console exists.</summary>
[Authorize(Policy = StaffLive.Policy)]
public sealed class FeedModel(IGrainFactory grains) : PageModel
{
    public string CompanyName { get; private set; } = "";
    public FeedSnapshotMessage Snapshot { get; private set; } = new([], []);

    public async Task OnGetAsync()
    {
        var companyId = User.GetCompanyId();
        var company = await grains.GetGrain<ICompanyGrain>(companyId).Get();
        CompanyName = company.Name;
        Snapshot = LiveMessages.From(await grains.GetGrain<ICompanyFeedGrain>(companyId).GetSnapshot(), company.TimeZone);
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(StaffLive.SessionScheme);
        return Redirect(StaffLive.SignInPath);
    }
}
