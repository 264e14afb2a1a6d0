using Portal.Domain;

namespace Portal.Tests.Domain;

public class PortalLinkStateTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static IssuePortalLink Command(Guid? linkId = null, DateTimeOffset? expiresAt = null) =>
        new(linkId ?? Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new LinkTarget(LinkTargetKind.Proposal, Guid.NewGuid()),
            expiresAt ?? Now.AddDays(90));

    private static PortalLinkState Issued(out IssuePortalLink command)
    {
        command = Command();
        var state = new PortalLinkState();
        state.Issue(command, Now);
        return state;
    }

    [Fact]
    public void Issuing_a_link_makes_it_resolvable()
    {
        var state = Issued(out var command);
        var view = state.Resolve(Now.AddDays(1));
        Assert.Equal(command.LinkId, view.LinkId);
        Assert.Equal(Now, view.IssuedAt);
        Assert.Null(view.RevokedAt);
    }

    [Fact]
    public void A_link_remembers_how_it_was_issued()
    {
        var state = new PortalLinkState();
        state.Issue(Command() with { Origin = PortalLinkOrigin.Email }, Now);
        Assert.Equal(PortalLinkOrigin.Email, state.ToView().Origin);
        Assert.Equal(PortalLinkOrigin.Unknown, Issued(out _).ToView().Origin);
    }

    [Fact]
    public void Issuing_again_with_the_same_link_id_changes_nothing()
    {
        var state = Issued(out var command);
        Assert.False(state.Issue(command with { ExpiresAt = Now.AddDays(5) }, Now.AddHours(1)));
        Assert.Equal(command.ExpiresAt, state.ExpiresAt);
    }

    [Fact]
    public void Issuing_again_with_another_link_id_is_refused()
    {
        var state = Issued(out _);
        Refuse.Unchanged(state, "link.exists", RuleKind.Conflict, () => state.Issue(Command(), Now));
    }

    [Fact]
    public void Issuing_a_link_that_is_already_expired_is_refused()
    {
        var state = new PortalLinkState();
        Refuse.Unchanged(state, "validation.expires_at", RuleKind.Invalid, () => state.Issue(Command(expiresAt: Now), Now));
    }

    [Fact]
    public void Issuing_a_document_link_without_a_document_is_refused()
    {
        var state = new PortalLinkState();
        Refuse.Unchanged(state, "validation.link", RuleKind.Invalid,
            () => state.Issue(Command() with { Target = new LinkTarget(LinkTargetKind.Invoice, null) }, Now));
    }

    [Fact]
    public void An_all_projects_link_needs_no_document()
    {
        var state = new PortalLinkState();
        Assert.True(state.Issue(Command() with { Target = new LinkTarget(LinkTargetKind.AllProjects, null) }, Now));
    }

    [Fact]
    public void Resolving_an_unknown_link_is_not_found()
    {
        Refuse.With("link.not_found", RuleKind.NotFound, () => new PortalLinkState().Resolve(Now));
        Refuse.With("link.not_found", RuleKind.NotFound, () => new PortalLinkState().ToView());
        Refuse.With("link.not_found", RuleKind.NotFound, () => new PortalLinkState().Revoke(Now));
    }

    [Fact]
    public void Resolving_at_the_expiry_instant_is_gone()
    {
        var state = Issued(out var command);
        state.Resolve(command.ExpiresAt.AddTicks(-1));
        Refuse.With("link.expired", RuleKind.Gone, () => state.Resolve(command.ExpiresAt));
    }

    [Fact]
    public void Resolving_a_revoked_link_is_gone()
    {
        var state = Issued(out _);
        Assert.True(state.Revoke(Now.AddHours(1)));
        Refuse.With("link.revoked", RuleKind.Gone, () => state.Resolve(Now.AddHours(2)));
        Assert.Equal(Now.AddHours(1), state.ToView().RevokedAt);
    }

    [Fact]
    public void Revoking_twice_keeps_the_first_revocation()
    {
        var state = Issued(out _);
        state.Revoke(Now.AddHours(1));
        Assert.False(state.Revoke(Now.AddHours(5)));
        Assert.Equal(Now.AddHours(1), state.RevokedAt);
    }
}
