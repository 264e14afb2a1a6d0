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

    /// <summary>
    /// Draft → Sent, with its email, as one durable step (see <see cref="IProposalGrain.Send"/>); an invoice
    /// already fully sent is refused with <c>invoice.not_sendable</c>.
    /// </summary>
    Task<InvoiceSent> Send(SendDocument command);

    /// <summary>Sent → Viewed the first time a client opens it; later views change nothing.</summary>
    Task<InvoiceView> MarkViewed(Actor viewer);

    /// <summary>
    /// Records a succeeded manual payment. Idempotent on <see cref="RecordManualPayment.PaymentId"/>: the same id
    /// twice records it once. <c>invoice.overpayment</c> above the balance; <c>invoice.not_payable</c> in Draft/Void/Paid.
    /// </summary>
    Task<InvoiceView> RecordManualPayment(RecordManualPayment command);

    /// <summary>
    /// Records a card checkout the client started as a pending payment. Idempotent on the checkout session id.
    /// <c>invoice.not_payable</c> unless Sent/Viewed/PartiallyPaid with a balance; the amount must not exceed it.
    /// </summary>
    Task<InvoiceView> StartCardPayment(StartCardPayment command);

    /// <summary>
    /// Applies a verified payment-provider event. Repeats (same event id) and other events reporting a payment
    /// already applied (same payment intent) change nothing; a failure never undoes a success; a refund lowers
    /// the paid total. The answer comes only after the change is stored.
    /// </summary>
    Task<CardEventResult> ApplyCardEvent(CardPaymentEvent cardEvent);

    /// <summary>Draft/Sent/Viewed → Void when nothing is paid.</summary>
    Task<InvoiceView> Void();
}
