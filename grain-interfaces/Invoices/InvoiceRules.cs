namespace Portal;

/// <summary>When an invoice takes money: the invoice grain refuses payments by it, and the portal offers "Make a payment" by it.</summary>
public static class InvoiceRules
{
    /// <summary>Sent (or viewed) and not yet paid in full; drafts, paid and void invoices take nothing.</summary>
    public static bool TakesPayments(InvoiceStatus status) =>
        status is InvoiceStatus.Sent or InvoiceStatus.Viewed or InvoiceStatus.PartiallyPaid;

    /// <summary>The client can pay now: the invoice takes payments and something is still owed.</summary>
    public static bool IsPayable(InvoiceView invoice) => TakesPayments(invoice.Status) && invoice.Balance > 0m;

    /// <summary>
    /// A checkout is handed out again only while this much of its life is left, so nobody is sent to a session that
    /// lapses while they type their card number.
    /// </summary>
    public static readonly TimeSpan CheckoutReuseMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The invoice's open checkout when a client paying <paramref name="amount"/> now should be sent there rather than
    /// to a new one: it charges exactly that amount and has at least <see cref="CheckoutReuseMargin"/> left.
    /// </summary>
    public static OpenCheckoutView? ReusableCheckout(OpenCheckoutView? checkout, decimal amount, DateTimeOffset now) =>
        checkout is not null && checkout.Amount == amount && now + CheckoutReuseMargin < checkout.ExpiresAt ? checkout : null;

    /// <inheritdoc cref="ReusableCheckout(OpenCheckoutView?, decimal, DateTimeOffset)"/>
    public static OpenCheckoutView? ReusableCheckout(InvoiceView invoice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return IsPayable(invoice) ? ReusableCheckout(invoice.OpenCheckout, invoice.Balance, now) : null;
    }
}
