using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

[Authorize(Policy = ClientSession.Policy)]
public sealed class ProjectModel(PortalContext portal, TimeProvider clock) : PageModel
{
    public ProjectView Project { get; private set; } = null!;
    public string TimeZone { get; private set; } = "Europe/London";
    public IReadOnlyList<ProposalSummary> Proposals { get; private set; } = [];
    public IReadOnlyList<Booking> Upcoming { get; private set; } = [];
    public IReadOnlyList<Booking> Past { get; private set; } = [];
    public IReadOnlyList<InvoiceSummary> Invoices { get; private set; } = [];
    public IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var project = await portal.FindProjectAsync(id);
        if (project is null)
        {
            return NotFound();
        }
        Project = project;
        TimeZone = (await portal.GetCompanyAsync())?.TimeZone ?? TimeZone;
        var now = clock.GetUtcNow();
        // Drafts and withdrawn proposals are not the client's business.
        Proposals = project.Proposals
            .Where(p => p.Status is not (ProposalStatus.Draft or ProposalStatus.Withdrawn))
            .OrderByDescending(p => p.SentAt).ToList();
        Upcoming = project.Bookings.Where(b => b.EndsAt >= now).OrderBy(b => b.StartsAt).ToList();
        Past = project.Bookings.Where(b => b.EndsAt < now).OrderByDescending(b => b.StartsAt).ToList();
        Invoices = project.Invoices.Where(i => i.Status != InvoiceStatus.Draft).OrderByDescending(i => i.SentAt).ToList();
        Payments = Invoices.SelectMany(i => i.Payments).Where(p => Web.Payments.ClientPayments.Shown(p)).OrderByDescending(p => p.RecordedAt).ToList();
        return Page();
    }

    public string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };
}
