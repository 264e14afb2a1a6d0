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

    /// <summary>Draft → Sent.</summary>
    Task<ProposalView> Send();

    /// <summary>Sent → Viewed the first time a client opens it; later views change nothing.</summary>
    Task<ProposalView> MarkViewed(Actor viewer);

    /// <summary>Sent/Viewed → Accepted, only for the current document version and on or before valid-until.</summary>
    Task<ProposalView> Accept(AcceptProposal command);

    Task<ProposalView> Decline(DeclineProposal command);

    /// <summary>Draft/Sent/Viewed → Withdrawn.</summary>
    Task<ProposalView> Withdraw();
}
