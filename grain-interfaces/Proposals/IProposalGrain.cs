namespace Portal;

/// <summary>
/// A quote or estimate. Draft → Sent → Viewed → Accepted | Declined | Expired; Draft/Sent/Viewed → Withdrawn.
/// Every refused transition throws <see cref="PortalRuleViolation"/> with a <c>proposal.*</c> code.
/// </summary>
public interface IProposalGrain : IGrainWithGuidKey
{
    Task<ProposalView> Create(CreateProposal command);

    /// <summary><c>proposal.not_found</c> (404) when never created. Reports Expired once valid-until has passed.</summary>
    Task<ProposalView> Get();

    Task<bool> Exists();

    Task<ProposalView> Edit(EditProposal command);

    /// <summary>
    /// Draft → Sent, with its email: one durable step. The Sent status and the pending email are stored in one
    /// write; the grain then issues the link and puts the email in the outbox under ids derived from the
    /// proposal and the send, and records the send as finished. If a step after the write fails, the grain
    /// finishes it by itself (timer, next activation), and a repeated call finishes it and answers the same
    /// link and message; only a proposal already fully sent is refused (<c>proposal.not_sendable</c>).
    /// </summary>
    Task<ProposalSent> Send(SendDocument command);

    /// <summary>Sent → Viewed the first time a client opens it; later views change nothing.</summary>
    Task<ProposalView> MarkViewed(Actor viewer);

    /// <summary>Sent/Viewed → Accepted, only for the current document version and on or before valid-until.</summary>
    Task<ProposalView> Accept(AcceptProposal command);

    Task<ProposalView> Decline(DeclineProposal command);

    /// <summary>Draft/Sent/Viewed → Withdrawn.</summary>
    Task<ProposalView> Withdraw();
}
