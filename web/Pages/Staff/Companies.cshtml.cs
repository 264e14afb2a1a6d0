using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;

namespace Portal.Web.Pages.Staff;

/// <summary><c>/staff/companies</c>: a person in several companies picks (or switches to) one.</summary>
[Authorize(Policy = StaffClaims.Policy, AuthenticationSchemes = StaffSessions.Scheme)]
public sealed class CompaniesModel(IGrainFactory grains, StaffAccounts accounts, TimeProvider clock) : PageModel
{
    public IReadOnlyList<(Guid CompanyId, string Name, StaffRole Role)> Companies { get; private set; } = [];
    public Guid Current { get; private set; }
    public string ReturnUrl { get; private set; } = SignInModel.StaffHome;

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = SignInModel.Local(returnUrl);
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge(StaffSessions.Scheme);
        }
        Companies = await accounts.CompaniesOfAsync(user);
        Current = User.GetCompanyId();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid companyId, string? returnUrl)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge(StaffSessions.Scheme);
        }
        if (user.RoleIn(companyId) is not { } role)
        {
            // Not one of theirs: the same as an unknown company.
            return NotFound();
        }
        // A new sign-in in the chosen company, keeping when the person proved who they are.
        await HttpContext.SignInAsync(StaffSessions.Scheme, StaffSessions.CreatePrincipal(user, companyId, role, clock.GetUtcNow()));
        return LocalRedirect(SignInModel.Local(returnUrl));
    }

    private async Task<StaffUserView?> CurrentUserAsync() =>
        User.GetUserId() is { } userId ? await grains.GetGrain<IStaffUserGrain>(userId).Find() : null;
}
