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

    /// <summary>Money that reached the company through this payment (refunded payments count, their refunds are added back).</summary>
    public bool Counts => Status is PaymentStatus.Succeeded or PaymentStatus.Refunded;

    public PaymentView ToView() =>
        new(Id, Method, Status, Amount, RefundedAmount, Currency, Reference, RecordedAt, ReceivedOn, ExternalId,
            CheckoutSessionId, FailureReason);
}
