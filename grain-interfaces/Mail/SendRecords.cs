namespace Portal;

/// <summary>
/// A staff send of a proposal or invoice: the email already composed around its portal link, and what the
/// document grain needs to issue that link (the SHA-256 of the link's token, which keys the link grain, and its
/// expiry). <see cref="PortalUrl"/> carries the raw token, as the email body does; the grain keeps both only
/// until the email is in the outbox.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SendDocument(
    [property: Id(0)] OutgoingMail Mail,
    [property: Id(1)] string PortalUrl,
    [property: Id(2)] string TokenHash,
    [property: Id(3)] DateTimeOffset LinkExpiresAt);

/// <summary>The email of a send: the link it carries and the message stored in the outbox.</summary>
[GenerateSerializer, Immutable]
public sealed record SentEmail(
    [property: Id(0)] Guid LinkId,
    [property: Id(1)] string PortalUrl,
    [property: Id(2)] DateTimeOffset LinkExpiresAt,
    [property: Id(3)] MailMessageView Message);

[GenerateSerializer, Immutable]
public sealed record ProposalSent(
    [property: Id(0)] ProposalView Proposal,
    [property: Id(1)] SentEmail Email);

[GenerateSerializer, Immutable]
public sealed record InvoiceSent(
    [property: Id(0)] InvoiceView Invoice,
    [property: Id(1)] SentEmail Email);
