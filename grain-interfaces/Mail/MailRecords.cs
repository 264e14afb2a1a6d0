namespace Portal;

/// <summary>What a message is about; the staff API shows it as <c>quote</c>, <c>payment_receipt</c>, …</summary>
[GenerateSerializer]
public enum MailKind
{
    Quote = 0,
    Estimate = 1,
    Invoice = 2,
    Files = 3,
    PaymentReceipt = 4,
    ProposalAccepted = 5,
    ProposalDeclined = 6,
    InvoicePaid = 7,
    /// <summary>An invitation to join a company's team.</summary>
    StaffInvitation = 8,
    /// <summary>A link to set a new staff password.</summary>
    PasswordReset = 9,
}

/// <summary>Pending → Sending → Sent; Sending → Pending (transient failure, retried later) or Failed (permanent).</summary>
[GenerateSerializer]
public enum MailStatus
{
    Pending = 0,
    Sending = 1,
    Sent = 2,
    Failed = 3,
}

[GenerateSerializer, Immutable]
public sealed record MailRecipient(
    [property: Id(0)] string Address,
    [property: Id(1)] string? Name);

/// <summary>
/// A composed message, ready to be stored in the outbox. The sender address comes from the SMTP settings of
/// the silo that delivers it; <see cref="SenderName"/> (the company) is shown with it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OutgoingMail(
    [property: Id(0)] Guid CompanyId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] MailKind Kind,
    [property: Id(3)] MailRecipient To,
    [property: Id(4)] string SenderName,
    [property: Id(5)] string? ReplyTo,
    [property: Id(6)] string Subject,
    [property: Id(7)] string HtmlBody,
    [property: Id(8)] string TextBody,
    [property: Id(9)] Guid? DocumentId = null);

/// <summary>One delivery attempt: <c>sending</c> while under way, then <c>accepted</c>, <c>retry</c>, <c>failed</c> or <c>interrupted</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record MailAttempt(
    [property: Id(0)] int Number,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset? EndedAt,
    [property: Id(3)] string Outcome,
    [property: Id(4)] string? Detail);

/// <summary>
/// A message as staff see it: envelope, delivery status and attempts, never the body (it holds a portal link).
/// <see cref="Revision"/> grows with every stored change, so an index keeps the latest report.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MailMessageView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ProjectId,
    [property: Id(3)] MailKind Kind,
    [property: Id(4)] Guid? DocumentId,
    [property: Id(5)] string To,
    [property: Id(6)] string? ToName,
    [property: Id(7)] string Subject,
    [property: Id(8)] MailStatus Status,
    [property: Id(9)] string MessageId,
    [property: Id(10)] int Attempts,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset? NextAttemptAt,
    [property: Id(13)] DateTimeOffset? SentAt,
    [property: Id(14)] DateTimeOffset? FailedAt,
    [property: Id(15)] string? LastError,
    [property: Id(16)] IReadOnlyList<MailAttempt> History,
    [property: Id(17)] long Revision);
