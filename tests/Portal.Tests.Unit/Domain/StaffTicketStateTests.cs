using Portal.Domain;

namespace Portal.Tests.Domain;

/// <summary>One-time staff links: used once, before they expire, for what they were issued for.</summary>
public class StaffTicketStateTests
{
    private static readonly Guid CompanyId = Guid.NewGuid();

    private static IssueStaffTicket Invitation(DateTimeOffset expiresAt, StaffRole role = StaffRole.Member) =>
        new(Guid.NewGuid(), StaffTicketKind.Invitation, CompanyId, null, " Jo@Example.com ", role, Guid.NewGuid(), "Sam Patel", expiresAt,
            new OutgoingMail(CompanyId, AccountEmails.MailboxOf(CompanyId), MailKind.StaffInvitation, new MailRecipient("jo@example.com", null),
                "Portal", null, "Sam Patel invited you", "<p>Join</p>", "Join"));

    [Fact]
    public void An_invitation_is_used_once_and_a_second_use_is_refused_as_used()
    {
        var state = new StaffTicketState();
        Assert.True(state.Issue(Invitation(Sample.Now.AddHours(72)), Sample.Now));

        var used = state.Use(StaffTicketKind.Invitation, Sample.Now.AddHours(1));
        Assert.Equal(("Jo@Example.com", StaffRole.Member, CompanyId), (used.Email, used.Role, used.CompanyId));
        var again = Assert.Throws<PortalRuleViolation>(() => state.Use(StaffTicketKind.Invitation, Sample.Now.AddHours(2)));
        Assert.Equal((RuleCodes.StaffTicketUsed, RuleKind.Gone), (again.Code, again.Kind));
    }

    [Fact]
    public void An_expired_ticket_is_refused_and_stays_unused()
    {
        var state = new StaffTicketState();
        state.Issue(Invitation(Sample.Now.AddHours(72)), Sample.Now);

        var late = Assert.Throws<PortalRuleViolation>(() => state.Use(StaffTicketKind.Invitation, Sample.Now.AddHours(72)));
        Assert.Equal((RuleCodes.StaffTicketExpired, RuleKind.Gone), (late.Code, late.Kind));
        Assert.Null(state.UsedAt);
    }

    [Fact]
    public void A_ticket_of_another_kind_or_none_at_all_is_not_found()
    {
        var state = new StaffTicketState();
        Assert.Equal(RuleCodes.StaffTicketNotFound, Assert.Throws<PortalRuleViolation>(() => state.Check(StaffTicketKind.Invitation, Sample.Now)).Code);
        state.Issue(Invitation(Sample.Now.AddHours(72)), Sample.Now);
        Assert.Equal(RuleCodes.StaffTicketNotFound, Assert.Throws<PortalRuleViolation>(() => state.Use(StaffTicketKind.PasswordReset, Sample.Now)).Code);
        Assert.Null(state.UsedAt);
    }

    [Fact]
    public void Nobody_is_invited_as_owner_and_the_same_issue_again_changes_nothing()
    {
        Assert.Throws<PortalRuleViolation>(() => new StaffTicketState().Issue(Invitation(Sample.Now.AddHours(72), StaffRole.Owner), Sample.Now));

        var state = new StaffTicketState();
        var command = Invitation(Sample.Now.AddHours(72));
        Assert.True(state.Issue(command, Sample.Now));
        Assert.False(state.Issue(command, Sample.Now.AddMinutes(1)));
        Assert.Equal(DerivedIds.For(command.Id, "ticket:mail"), state.MessageId);
    }
}
