namespace Portal;

/// <summary>
/// An invoice with its payment ledger. Draft → Sent → Viewed → PartiallyPaid → Paid; Draft/Sent/Viewed → Void
/// while nothing is paid. Balance = total − succeeded payments + refunds; a payment above the balance is refused.
/// </summary>
public interface IInvoiceGrain : IGrainWithGuidKey
{
    Task<InvoiceView> Create(CreateInvoice command);

    /// <summary><c>invoice.not_found</c> (404) when never created.</summary>
    Task<InvoiceView> Get();

    Task<bool> Exists();

    /// <summary>Draft → Sent.</summary>
    Task<InvoiceView> Send();

    /// <summary>Sent → Viewed the first time a client opens it; later views change nothing.</summary>
    Task<InvoiceView> MarkViewed(Actor viewer);

    /// <summary>
    /// Records a succeeded manual payment. Idempotent on <see cref="RecordManualPayment.PaymentId"/>: the same id
    /// twice records it once. <c>invoice.overpayment</c> above the balance; <c>invoice.not_payable</c> in Draft/Void/Paid.
    /// </summary>
    Task<InvoiceView> RecordManualPayment(RecordManualPayment command);

    /// <summary>Draft/Sent/Viewed → Void when nothing is paid.</summary>
    Task<InvoiceView> Void();
}
