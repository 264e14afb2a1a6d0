using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

[Authorize(Policy = ClientSession.Policy)]
public sealed class InvoiceModel(PortalContext portal) : PageModel
{
    public InvoiceView Invoice { get; private set; } = null!;
    public DocumentSheet Sheet { get; private set; } = null!;
    public int ProjectNumber { get; private set; }
    public long ProjectVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var invoice = await portal.FindInvoiceAsync(id);
        if (invoice is null)
        {
            return NotFound();
        }
        if (invoice.Status == InvoiceStatus.Sent)
        {
            invoice = await portal.MarkInvoiceViewedAsync(id);
        }
        Invoice = invoice;
        var company = (await portal.GetCompanyAsync())!;
        var client = await portal.GetClientAsync();
        var project = await portal.FindProjectAsync(invoice.ProjectId);
        ProjectNumber = project?.Number ?? 0;
        ProjectVersion = project?.Version ?? 0;
        var dates = new List<(string, string)>();
        if (invoice.SentAt is { } sent)
        {
            dates.Add(("Date", Formats.Date(sent, invoice.TimeZone)));
        }
        dates.Add(("Due date", Formats.Date(invoice.DueDate)));
        Sheet = new DocumentSheet($"Invoice {invoice.Number}", invoice.Number, company, client, project?.SiteAddress,
            dates, invoice.Lines, invoice.Totals, invoice.Notes, Badges.For(invoice.Status));
        return Page();
    }
}
