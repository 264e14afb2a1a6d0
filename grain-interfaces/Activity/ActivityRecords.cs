namespace Portal;

/// <summary>The kinds of entry in a project's activity log; also what the staff feed reports.</summary>
public static class ActivityTypes
{
    public const string ProposalSent = "proposal.sent";
    public const string ProposalEdited = "proposal.edited";
    public const string ProposalViewed = "proposal.viewed";
    public const string ProposalAccepted = "proposal.accepted";
    public const string ProposalDeclined = "proposal.declined";
    public const string ProposalWithdrawn = "proposal.withdrawn";
    public const string ProposalExpired = "proposal.expired";
    public const string InvoiceSent = "invoice.sent";
    public const string InvoiceViewed = "invoice.viewed";
    public const string InvoiceVoided = "invoice.voided";
    public const string BankDetailsRevealed = "invoice.bank_details_revealed";
    public const string PaymentSucceeded = "invoice.payment_succeeded";
    public const string PaymentFailed = "invoice.payment_failed";
    public const string PaymentRefunded = "invoice.payment_refunded";
    /// <summary>Money arrived that the invoice does not take (it was void, already paid, or the payment exceeded the balance): staff refund it.</summary>
    public const string PaymentRefundDue = "invoice.payment_refund_due";
}

/// <summary>
/// Something that happened on a project, as the grain that saw it reports it. <see cref="Id"/> makes recording
/// idempotent: the same id twice is one entry.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ActivityInput(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] Actor By,
    [property: Id(4)] Guid? DocumentId = null,
    [property: Id(5)] string? DocumentNumber = null,
    [property: Id(6)] DocumentKind? DocumentKind = null,
    [property: Id(7)] decimal? Amount = null,
    [property: Id(8)] string? Currency = null,
    [property: Id(9)] string? Detail = null);

/// <summary>
/// One entry of a project's append-only activity log. <see cref="Hash"/> is the SHA-256 of the entry's canonical
/// form, which includes <see cref="PreviousHash"/>, so changing or removing any entry breaks every hash after it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ActivityEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] Guid Id,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] Actor By,
    [property: Id(5)] Guid? DocumentId,
    [property: Id(6)] string? DocumentNumber,
    [property: Id(7)] DocumentKind? DocumentKind,
    [property: Id(8)] decimal? Amount,
    [property: Id(9)] string? Currency,
    [property: Id(10)] string? Detail,
    [property: Id(11)] string PreviousHash,
    [property: Id(12)] string Hash);

/// <summary>The result of recomputing a project's hash chain.</summary>
[GenerateSerializer, Immutable]
public sealed record ActivityVerification(
    [property: Id(0)] bool Ok,
    [property: Id(1)] int Entries,
    [property: Id(2)] long? FirstBrokenSequence,
    [property: Id(3)] string? Problem,
    [property: Id(4)] string? HeadHash);

/// <summary>What a document grain reports to its project after a stored change: its summary and the activity.</summary>
[GenerateSerializer, Immutable]
public sealed record DocumentChange(
    [property: Id(0)] ProposalSummary? Proposal,
    [property: Id(1)] InvoiceSummary? Invoice,
    [property: Id(2)] IReadOnlyList<ActivityInput> Activity);
