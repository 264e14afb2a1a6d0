namespace Portal;

/// <summary>When an invoice takes money: the invoice grain refuses payments by it, and the portal offers "Make a payment" by it.</summary>
public static class InvoiceRules
{
    /// <summary>Sent (or viewed) and not yet paid in full; drafts, paid and void invoices take nothing.</summary>
    public static bool TakesPayments(InvoiceStatus status) =>
        status is InvoiceStatus.Sent or InvoiceStatus.Viewed or InvoiceStatus.PartiallyPaid;

    /// <summary>The client can pay now: the invoice takes payments and something is still owed.</summary>
    public static bool IsPayable(InvoiceView invoice) => TakesPayments(invoice.Status) && invoice.Balance > 0m;
}
