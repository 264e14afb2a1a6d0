using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

/// <summary>
/// The company's terms of business: the current version, or with <c>?version=N</c> the version a proposal was sent
/// with (what its signing form links to), which stays readable after the company publishes newer terms.
/// </summary>
[Authorize(Policy = ClientSession.Policy)]
public sealed class TermsModel(PortalContext portal) : PageModel
{
    public TermsOfBusiness? Terms { get; private set; }

    /// <summary>The company's current version when the page shows an earlier one.</summary>
    public int? CurrentVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? version)
    {
        var current = (await portal.GetCompanyAsync())?.Terms;
        if (version is not { } asked || asked == current?.Version)
        {
            Terms = current;
            return Page();
        }
        Terms = await portal.GetTermsAsync(asked);
        if (Terms is null)
        {
            return NotFound();
        }
        CurrentVersion = current?.Version;
        return Page();
    }
}
