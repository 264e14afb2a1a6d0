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
    [property: Id(9)] string? ExternalId);

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
    [property: Id(18)] Guid? FromProposalId);
