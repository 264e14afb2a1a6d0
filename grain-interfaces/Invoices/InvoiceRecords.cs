namespace Portal;

[GenerateSerializer]
public enum InvoiceStatus
{
    Draft = 0,
    Sent = 1,
    Viewed = 2,
    PartiallyPaid = 3,
    Paid = 4,
    Void = 5,
}

[GenerateSerializer]
public enum PaymentMethod
{
    BankTransfer = 0,
    Cash = 1,
    Other = 2,
    Card = 3,
}

[GenerateSerializer]
public enum PaymentStatus
{
    Pending = 0,
    Succeeded = 1,
    Failed = 2,
    Refunded = 3,
}

[GenerateSerializer, Immutable]
public sealed record CreateInvoice(
    [property: Id(0)] Guid CompanyId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] string Number,
    [property: Id(4)] DateOnly DueDate,
    [property: Id(5)] IReadOnlyList<LineInput> Lines,
    [property: Id(6)] string Currency,
    [property: Id(7)] string TimeZone,
    [property: Id(8)] Guid? FromProposalId = null,
    [property: Id(9)] string? Notes = null);

/// <summary>A payment staff record by hand (bank transfer received, cash, other).</summary>
[GenerateSerializer, Immutable]
public sealed record RecordManualPayment(
    [property: Id(0)] Guid PaymentId,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] PaymentMethod Method,
    [property: Id(3)] string? Reference,
    [property: Id(4)] DateOnly? ReceivedOn,
    [property: Id(5)] Actor RecordedBy);

[GenerateSerializer, Immutable]
public sealed record PaymentView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] PaymentMethod Method,
    [property: Id(2)] PaymentStatus Status,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] decimal RefundedAmount,
    [property: Id(5)] string Currency,
    [property: Id(6)] string? Reference,
    [property: Id(7)] DateTimeOffset RecordedAt,
    [property: Id(8)] DateOnly? ReceivedOn,
    [property: Id(9)] string? ExternalId,
    [property: Id(10)] string? CheckoutSessionId = null,
    [property: Id(11)] string? FailureReason = null,
    [property: Id(12)] decimal RefundDue = 0m);

[GenerateSerializer, Immutable]
public sealed record InvoiceView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ProjectId,
    [property: Id(3)] Guid ClientId,
    [property: Id(4)] string Number,
    [property: Id(5)] InvoiceStatus Status,
    [property: Id(6)] IReadOnlyList<PricedLine> Lines,
    [property: Id(7)] DocumentTotals Totals,
    [property: Id(8)] decimal AmountPaid,
    [property: Id(9)] decimal Balance,
    [property: Id(10)] DateOnly DueDate,
    [property: Id(11)] string TimeZone,
    [property: Id(12)] string? Notes,
    [property: Id(13)] IReadOnlyList<PaymentView> Payments,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] DateTimeOffset? SentAt,
    [property: Id(16)] ViewRecord? FirstViewed,
    [property: Id(17)] DateTimeOffset? VoidedAt,
    [property: Id(18)] Guid? FromProposalId,
    [property: Id(19)] decimal RefundDue = 0m,
    [property: Id(20)] OpenCheckoutView? OpenCheckout = null);

/// <summary>
/// The one card checkout of an invoice that a client may still pay through: the provider's session, where it is, what it
/// charges and when the provider stops taking payment on it. Staff see it in the invoice; the portal sends every "Pay
/// by card" of the same balance there while it is reusable (<see cref="InvoiceRules.ReusableCheckout(InvoiceView, DateTimeOffset)"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OpenCheckoutView(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string Url,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] Guid PaymentId);

/// <summary>
/// A card checkout the client started: the attempt is a pending payment until the provider reports it.
/// <see cref="PaymentId"/> is the attempt's id; the ledger keeps one entry per <see cref="CheckoutSessionId"/>.
/// <see cref="Url"/> is where the client pays and <see cref="ExpiresAt"/> when the provider stops taking payment.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StartCardPayment(
    [property: Id(0)] Guid PaymentId,
    [property: Id(1)] string CheckoutSessionId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] Actor StartedBy,
    [property: Id(5)] string Url,
    [property: Id(6)] DateTimeOffset ExpiresAt);

/// <summary>What the payment provider says happened to a card payment.</summary>
[GenerateSerializer]
public enum CardPaymentEventKind
{
    /// <summary>The client finished checkout; the money has not arrived yet (e.g. a delayed payment method).</summary>
    Processing = 0,
    Succeeded = 1,
    Failed = 2,
    /// <summary>Money was given back; <see cref="CardPaymentEvent.RefundedTotal"/> is the charge's refunded total so far.</summary>
    Refunded = 3,
    /// <summary>The checkout expired or was abandoned without a payment.</summary>
    Expired = 4,
}

/// <summary>
/// One payment-provider event about one card payment, already verified as genuine. Applied at most once per
/// <see cref="EventId"/>, and at most once per payment (<see cref="PaymentIntentId"/>) whatever the events.
/// Amounts are in major units. <see cref="PaymentId"/> is the ledger entry the checkout was started as, when the
/// provider echoes it back (payment intents do not name their checkout session).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CardPaymentEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] CardPaymentEventKind Kind,
    [property: Id(2)] string? PaymentIntentId,
    [property: Id(3)] string? CheckoutSessionId,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] string Currency,
    [property: Id(6)] decimal RefundedTotal = 0m,
    [property: Id(7)] string? FailureReason = null,
    [property: Id(8)] Guid? PaymentId = null);

[GenerateSerializer]
public enum CardEventOutcome
{
    /// <summary>The ledger changed.</summary>
    Applied = 0,
    /// <summary>This event, or another one reporting the same thing, was applied before; nothing changed.</summary>
    Duplicate = 1,
    /// <summary>The event does not change this invoice (e.g. a failure reported after the payment succeeded).</summary>
    Ignored = 2,
}

[GenerateSerializer, Immutable]
public sealed record CardEventResult(
    [property: Id(0)] CardEventOutcome Outcome,
    [property: Id(1)] string? Note,
    [property: Id(2)] InvoiceView Invoice);
