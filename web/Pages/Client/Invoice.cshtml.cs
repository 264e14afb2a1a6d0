using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;
using Portal.Web.Payments;

namespace Portal.Web.Pages.Client;

[Authorize(Policy = ClientSession.Policy)]
public sealed class InvoiceModel(PortalContext portal, StripeCheckout stripe) : PageModel
{
    public InvoiceView Invoice { get; private set; } = null!;
    public DocumentSheet Sheet { get; private set; } = null!;
    public int ProjectNumber { get; private set; }
    public long ProjectVersion { get; private set; }

    /// <summary>Payments the client sees (not abandoned card checkouts).</summary>
    public IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    /// <summary>A card payment is on its way: shown as "Payment processing" until the provider confirms it.</summary>
    public bool Processing { get; private set; }

    public (string Label, string Tone) StatusBadge { get; private set; }

    public bool BankTransferOffered { get; private set; }
    public bool CardOffered { get; private set; }
    public bool CanPay { get; private set; }

    /// <summary>One id per rendering of the page: a repeated "Pay by card" from it is the same payment attempt.</summary>
    public Guid AttemptId { get; } = Guid.NewGuid();

    public string? Notice { get; private set; }

    public CompanyView Company { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, string? checkout, [FromQuery(Name = "session_id")] string? sessionId, string? problem)
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
        var returned = checkout == PaymentEndpoints.CheckoutReturned ? sessionId : null;
        Payments = invoice.Payments.Where(p => ClientPayments.Shown(p, returned)).OrderBy(p => p.RecordedAt).ToList();
        Processing = invoice.Payments.Any(p => ClientPayments.Processing(p, returned));
        StatusBadge = Processing ? ("Payment processing", "blue") : Badges.For(invoice.Status);
        Sheet = new DocumentSheet($"Invoice {invoice.Number}", invoice.Number, company, client, project?.SiteAddress,
            dates, invoice.Lines, invoice.Totals, invoice.Notes, StatusBadge);
        BankTransferOffered = company.PaymentMethods.BankTransfer && company.BankDetails is not null;
        CardOffered = stripe.Configured && company.PaymentMethods.Card && MinorUnits.CanCharge(invoice.Balance, invoice.Totals.Currency);
        CanPay = InvoiceRules.IsPayable(invoice) && !Processing;
        Company = company;
        Notice = checkout switch
        {
            PaymentEndpoints.CheckoutCancelled when CanPay => "Card payment cancelled. Nothing was taken; you can try again or pay another way.",
            PaymentEndpoints.CheckoutReturned when invoice.Status == InvoiceStatus.Paid => "Thank you. Your payment has been received.",
            _ => problem is null ? null : PaymentRefusal(problem, invoice.Status),
        };
        return Page();
    }

    /// <summary>Why a payment started without script did not go ahead (the refusal's code comes back in the address).</summary>
    private static string PaymentRefusal(string code, InvoiceStatus status) => code switch
    {
        RuleCodes.InvoiceNotPayable when status == InvoiceStatus.Paid => "This invoice is already paid.",
        RuleCodes.InvoiceNotPayable => "This invoice cannot be paid now.",
        RuleCodes.PaymentMethodUnavailable => "This way of paying is not offered. Contact us to pay another way.",
        RuleCodes.InvoicePaymentProcessing => "A card payment for this invoice is already being processed.",
        _ => "The payment could not be started. Please try again, or contact us.",
    };
}
