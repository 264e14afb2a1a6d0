namespace Portal.Domain;

/// <summary>One row of an invoice's payment ledger.</summary>
public sealed class PaymentEntry
{
    public Guid Id { get; set; }
    public PaymentMethod Method { get; set; }
    public PaymentStatus Status { get; set; }
    public decimal Amount { get; set; }
    public decimal RefundedAmount { get; set; }
    public string Currency { get; set; } = Money.DefaultCurrency;
    public string? Reference { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateOnly? ReceivedOn { get; set; }

    /// <summary>The provider's id of the payment itself (a Stripe payment intent), once known.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The provider's checkout the client paid through (a Stripe Checkout Session), when there was one.</summary>
    public string? CheckoutSessionId { get; set; }

    /// <summary>Why the provider says the payment failed.</summary>
    public string? FailureReason { get; set; }

    public Actor? RecordedBy { get; set; }

    /// <summary>
    /// The part of <see cref="Amount"/> the invoice did not take because it arrived when the invoice was void, already
    /// paid, or owed less: money to give back, never counted as paid. Refunds settle it before they lower the paid total.
    /// </summary>
    public decimal Excess { get; set; }

    /// <summary>Money that reached the company through this payment (refunded payments count, their refunds are added back).</summary>
    public bool Counts => Status is PaymentStatus.Succeeded or PaymentStatus.Refunded;

    /// <summary>What this payment adds to the invoice's paid total: the amount taken, less refunds beyond the excess.</summary>
    public decimal Applied => Counts ? Amount - Math.Max(Excess, RefundedAmount) : 0m;

    /// <summary>The excess not refunded yet.</summary>
    public decimal RefundDue => Counts ? Math.Max(Excess - RefundedAmount, 0m) : 0m;

    public PaymentView ToView() =>
        new(Id, Method, Status, Amount, RefundedAmount, Currency, Reference, RecordedAt, ReceivedOn, ExternalId,
            CheckoutSessionId, FailureReason, RefundDue);
}
