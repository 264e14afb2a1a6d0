using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

[Authorize(Policy = ClientSession.Policy)]
public sealed class TermsModel(PortalContext portal) : PageModel
{
    public TermsOfBusiness? Terms { get; private set; }

    public async Task OnGetAsync() => Terms = (await portal.GetCompanyAsync())?.Terms;
}
