using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

[Authorize(Policy = ClientSession.Policy)]
public sealed class ProjectsModel(PortalContext portal) : PageModel
{
    public ClientProjectsView Projects { get; private set; } = new([], []);
    public bool ShowComplete { get; private set; }

    public async Task OnGetAsync(string? tab)
    {
        ShowComplete = string.Equals(tab, "complete", StringComparison.OrdinalIgnoreCase);
        Projects = await portal.GetProjectsAsync();
    }
}
