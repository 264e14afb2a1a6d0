using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>Keyed by the lower-case hex SHA-256 of the link token.</summary>
public sealed class PortalLinkGrain(
    [PersistentState("portallink", StorageNames.Portal)] IPersistentState<PortalLinkState> state,
    ILogger<PortalLinkGrain> logger)
    : NoticeGrain<PortalLinkState>(state, logger), IPortalLinkGrain
{
    public async Task<PortalLinkView> Issue(IssuePortalLink command)
    {
        if (State.Issue(command, Now))
        {
            // Staff list and revoke links through the company, so the write owes it the link.
            await OweAsync(Notices.CompanyLinks);
            await CommitAsync();
        }
        await TellAsync();
        return State.ToView();
    }

    public Task<PortalLinkView> Resolve() => Task.FromResult(State.Resolve(Now));

    public Task<PortalLinkView> Get() => Task.FromResult(State.ToView());

    public async Task<PortalLinkView> Revoke()
    {
        if (State.Revoke(Now))
        {
            await CommitAsync();
        }
        // Repeated on a repeated revoke too: pages opened through the link must close even if the first telling was lost.
        await NotifyAsync(
            "tell the live feed the link is revoked",
            () => GrainFactory.GetGrain<ICompanyFeedGrain>(State.CompanyId).LinkRevoked(State.LinkId));
        return State.ToView();
    }

    protected override (string What, Func<Task> Notify) Notice(Notices notice) => notice switch
    {
        Notices.CompanyLinks => ("register the link with its company", () => GrainFactory.GetGrain<ICompanyGrain>(State.CompanyId)
            .RegisterPortalLink(new PortalLinkRecord(State.LinkId, State.ClientId, this.GetPrimaryKeyString(), State.ExpiresAt))),
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice, "A link owes no such notice."),
    };
}
