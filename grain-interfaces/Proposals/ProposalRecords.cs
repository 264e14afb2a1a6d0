namespace Portal;

[GenerateSerializer]
public enum ProposalStatus
{
    Draft = 0,
    Sent = 1,
    Viewed = 2,
    Accepted = 3,
    Declined = 4,
    Expired = 5,
    Withdrawn = 6,
}

[GenerateSerializer, Immutable]
public sealed record CreateProposal(
    [property: Id(0)] Guid CompanyId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] DocumentKind Kind,
    [property: Id(4)] string Number,
    [property: Id(5)] DateOnly ValidUntil,
    [property: Id(6)] IReadOnlyList<LineInput> Lines,
    [property: Id(7)] string? Notes,
    [property: Id(8)] string Currency,
    [property: Id(9)] string TimeZone,
    [property: Id(10)] int? TermsVersion);

/// <summary>Replaces the content. After sending, this creates the next document version and the proposal stays Sent.</summary>
[GenerateSerializer, Immutable]
public sealed record EditProposal(
    [property: Id(0)] IReadOnlyList<LineInput> Lines,
    [property: Id(1)] string? Notes,
    [property: Id(2)] DateOnly ValidUntil);

[GenerateSerializer]
public enum SignatureMethod
{
    Typed = 0,
    Drawn = 1,
}

/// <summary>What the client gave when signing, and how they reached the page.</summary>
[GenerateSerializer, Immutable]
public sealed record SignatureInput(
    [property: Id(0)] SignatureMethod Method,
    [property: Id(1)] string? TypedName,
    [property: Id(2)] byte[]? DrawnPng,
    [property: Id(3)] string? IpAddress,
    [property: Id(4)] string? UserAgent,
    [property: Id(5)] Guid? LinkId,
    [property: Id(6)] int ConsentVersion,
    [property: Id(7)] string ConsentText);

/// <summary>
/// Accepting with a signature. <see cref="TermsVersion"/> is the terms version the client was shown (0 for a proposal
/// sent without terms; null when the form did not say): it must be the version the proposal was sent with, and so
/// must the signature's <see cref="SignatureInput.ConsentVersion"/>, or nothing is recorded.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AcceptProposal(
    [property: Id(0)] int DocumentVersion,
    [property: Id(1)] Actor Signer,
    [property: Id(2)] SignatureInput Signature,
    [property: Id(3)] int? TermsVersion);

[GenerateSerializer, Immutable]
public sealed record DeclineProposal(
    [property: Id(0)] int DocumentVersion,
    [property: Id(1)] Actor By,
    [property: Id(2)] string? Reason)
{
    /// <summary>The longest reason a client can give; the decline form's <c>maxlength</c> comes from here too.</summary>
    public const int MaxReasonLength = 2000;
}

/// <summary>The evidence kept with an acceptance: enough to prove who signed exactly which content, when and how.</summary>
[GenerateSerializer, Immutable]
public sealed record SignatureEvidence(
    [property: Id(0)] SignatureMethod Method,
    [property: Id(1)] string? TypedName,
    [property: Id(2)] byte[]? DrawnPng,
    [property: Id(3)] string SignerName,
    [property: Id(4)] string? SignerEmail,
    [property: Id(5)] DateTimeOffset SignedAtUtc,
    [property: Id(6)] string? IpAddress,
    [property: Id(7)] string? UserAgent,
    [property: Id(8)] Guid? LinkId,
    [property: Id(9)] int ConsentVersion,
    [property: Id(10)] string ConsentSha256,
    [property: Id(11)] int DocumentVersion,
    [property: Id(12)] string DocumentSha256);

[GenerateSerializer, Immutable]
public sealed record ViewRecord(
    [property: Id(0)] Actor By,
    [property: Id(1)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record ProposalView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ProjectId,
    [property: Id(3)] Guid ClientId,
    [property: Id(4)] DocumentKind Kind,
    [property: Id(5)] string Number,
    [property: Id(6)] ProposalStatus Status,
    [property: Id(7)] int DocumentVersion,
    [property: Id(8)] IReadOnlyList<PricedLine> Lines,
    [property: Id(9)] DocumentTotals Totals,
    [property: Id(10)] string? Notes,
    [property: Id(11)] DateOnly ValidUntil,
    [property: Id(12)] string TimeZone,
    [property: Id(13)] int? TermsVersion,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] DateTimeOffset? SentAt,
    [property: Id(16)] ViewRecord? FirstViewed,
    [property: Id(17)] SignatureEvidence? Acceptance,
    [property: Id(18)] DateTimeOffset? DeclinedAt,
    [property: Id(19)] string? DeclineReason,
    [property: Id(20)] DateTimeOffset? ClosedAt,
    [property: Id(21)] string DocumentSha256);
