using Portal.Domain;

namespace Portal.Tests.Domain;

public class ProposalStateTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    // 23:59:59.999 BST on 20 June 2026, the last moment the sample proposal can be accepted.
    private static readonly DateTimeOffset LastMoment = new(2026, 6, 20, 22, 59, 59, 999, TimeSpan.Zero);

    [Fact]
    public void Creating_a_quote_prices_it_as_a_draft_at_version_1()
    {
        var state = Sample.DraftProposal();
        var view = state.ToView(Guid.NewGuid(), Now);

        Assert.Equal(ProposalStatus.Draft, view.Status);
        Assert.Equal(1, view.DocumentVersion);
        Assert.Equal(1920.01m, view.Totals.Total);
        Assert.Equal(Sample.London, view.TimeZone);
        Assert.Equal(Now, view.CreatedAt);
        Assert.Equal(64, view.DocumentSha256.Length);
    }

    [Fact]
    public void Creating_twice_is_refused()
    {
        var state = Sample.DraftProposal();
        Refuse.Unchanged(state, "proposal.exists", RuleKind.Conflict, () => state.Create(Sample.CreateProposal(), Now));
    }

    [Fact]
    public void Creating_with_valid_until_in_the_past_is_refused()
    {
        var state = new ProposalState();
        Refuse.Unchanged(state, "validation.valid_until", RuleKind.Invalid,
            () => state.Create(Sample.CreateProposal(validUntil: new DateOnly(2026, 6, 14)), Now));
        Assert.False(state.Created);
    }

    [Fact]
    public void Creating_with_valid_until_today_is_allowed()
    {
        var state = new ProposalState();
        state.Create(Sample.CreateProposal(validUntil: new DateOnly(2026, 6, 15)), Now);
        Assert.True(state.Created);
    }

    [Fact]
    public void Creating_with_invalid_lines_is_refused()
    {
        var state = new ProposalState();
        Refuse.Unchanged(state, "validation.lines", RuleKind.Invalid,
            () => state.Create(Sample.CreateProposal(lines: [new LineInput("x", 0m, 1m, 20m)]), Now));
    }

    [Fact]
    public void Creating_an_invoice_kind_proposal_is_refused()
    {
        var state = new ProposalState();
        Refuse.With("validation.kind", RuleKind.Invalid, () => state.Create(Sample.CreateProposal(kind: DocumentKind.Invoice), Now));
    }

    [Fact]
    public void Creating_with_an_unknown_time_zone_is_refused()
    {
        var state = new ProposalState();
        Refuse.With("validation.time_zone", RuleKind.Invalid,
            () => state.Create(Sample.CreateProposal() with { TimeZone = "Mars/Olympus" }, Now));
    }

    [Fact]
    public void A_proposal_never_created_is_not_found()
    {
        var state = new ProposalState();
        Refuse.With("proposal.not_found", RuleKind.NotFound, () => state.ToView(Guid.NewGuid(), Now));
        Refuse.With("proposal.not_found", RuleKind.NotFound, () => state.Send(Now));
    }

    [Fact]
    public void Sending_a_draft_makes_it_sent()
    {
        var state = Sample.DraftProposal();
        state.Send(Now);
        Assert.Equal(ProposalStatus.Sent, state.StatusAt(Now));
        Assert.Equal(Now, state.SentAt);
    }

    [Fact]
    public void Sending_twice_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "proposal.not_sendable", RuleKind.Conflict, () => state.Send(Now));
    }

    [Fact]
    public void Sending_a_draft_whose_valid_until_has_passed_is_refused()
    {
        var state = Sample.DraftProposal();
        Refuse.Unchanged(state, "proposal.valid_until_passed", RuleKind.Conflict, () => state.Send(LastMoment.AddMilliseconds(1)));
    }

    [Fact]
    public void Editing_a_draft_keeps_version_1()
    {
        var state = Sample.DraftProposal();
        state.Edit(new EditProposal([new LineInput("Other", 2m, 10m, 20m)], null, Sample.ValidUntil), Now);

        Assert.Equal(1, state.DocumentVersion);
        Assert.Equal(ProposalStatus.Draft, state.Status);
        Assert.Equal(24m, state.Totals!.Total);
    }

    [Fact]
    public void Editing_a_sent_quote_creates_the_next_document_version_and_stays_sent()
    {
        var state = Sample.SentProposal();
        var hashBefore = state.DocumentSha256();
        state.Edit(new EditProposal(Sample.Lines(), "Now with a discount", Sample.ValidUntil), Now);

        Assert.Equal(2, state.DocumentVersion);
        Assert.Equal(ProposalStatus.Sent, state.Status);
        Assert.NotEqual(hashBefore, state.DocumentSha256());
    }

    [Fact]
    public void Editing_a_viewed_quote_sends_it_back_to_sent()
    {
        var state = Sample.SentProposal();
        state.MarkViewed(Sample.ClientActor(), Now);
        state.Edit(new EditProposal(Sample.Lines(), null, Sample.ValidUntil), Now);

        Assert.Equal(ProposalStatus.Sent, state.Status);
        Assert.Equal(2, state.DocumentVersion);
    }

    [Fact]
    public void Editing_can_extend_valid_until()
    {
        var state = Sample.SentProposal();
        state.Edit(new EditProposal(Sample.Lines(), null, new DateOnly(2026, 7, 31)), Now);
        Assert.Equal(ProposalStatus.Sent, state.StatusAt(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Editing_with_valid_until_in_the_past_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "validation.valid_until", RuleKind.Invalid,
            () => state.Edit(new EditProposal(Sample.Lines(), null, new DateOnly(2026, 6, 1)), Now));
    }

    [Fact]
    public void Editing_with_invalid_lines_is_refused_and_keeps_the_version()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "validation.lines", RuleKind.Invalid,
            () => state.Edit(new EditProposal([new LineInput("x", 1m, -5m, 20m)], null, Sample.ValidUntil), Now));
    }

    [Theory]
    [InlineData("accepted")]
    [InlineData("declined")]
    [InlineData("withdrawn")]
    public void Editing_a_closed_quote_is_refused(string how)
    {
        var state = Sample.SentProposal();
        Close(state, how);
        Refuse.Unchanged(state, "proposal.not_editable", RuleKind.Conflict,
            () => state.Edit(new EditProposal(Sample.Lines(), null, Sample.ValidUntil), Now));
    }

    [Fact]
    public void Editing_an_expired_quote_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "proposal.expired", RuleKind.Conflict,
            () => state.Edit(new EditProposal(Sample.Lines(), null, new DateOnly(2026, 7, 31)), LastMoment.AddMilliseconds(1)));
    }

    [Fact]
    public void The_first_view_marks_it_viewed_and_records_who_and_when()
    {
        var state = Sample.SentProposal();
        var at = Now.AddHours(1);

        Assert.True(state.MarkViewed(Sample.ClientActor(), at));
        Assert.Equal(ProposalStatus.Viewed, state.Status);
        Assert.Equal("Jane Smith", state.FirstViewed!.By.Name);
        Assert.Equal(at, state.FirstViewed.At);
    }

    [Fact]
    public void Later_views_change_nothing()
    {
        var state = Sample.SentProposal();
        state.MarkViewed(Sample.ClientActor(), Now);
        var before = System.Text.Json.JsonSerializer.Serialize(state, StateJson.Options);

        Assert.False(state.MarkViewed(Sample.Staff(), Now.AddHours(2)));
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(state, StateJson.Options));
    }

    [Fact]
    public void Viewing_a_draft_changes_nothing()
    {
        var state = Sample.DraftProposal();
        Assert.False(state.MarkViewed(Sample.ClientActor(), Now));
        Assert.Equal(ProposalStatus.Draft, state.Status);
    }

    [Fact]
    public void Accepting_a_sent_quote_records_the_signature_evidence()
    {
        var state = Sample.SentProposal();
        var hash = state.DocumentSha256();
        state.Accept(Sample.Accept(), Now);

        Assert.Equal(ProposalStatus.Accepted, state.Status);
        Assert.Equal(Now, state.ClosedAt);
        var evidence = state.Acceptance!;
        Assert.Equal(SignatureMethod.Typed, evidence.Method);
        Assert.Equal("Jane Smith", evidence.TypedName);
        Assert.Equal("Jane Smith", evidence.SignerName);
        Assert.Equal("jane@example.com", evidence.SignerEmail);
        Assert.Equal(Now, evidence.SignedAtUtc);
        Assert.Equal(1, evidence.DocumentVersion);
        Assert.Equal(hash, evidence.DocumentSha256);
        Assert.Equal(Hashing.Sha256Hex("I agree to the terms."), evidence.ConsentSha256);
        Assert.Equal("203.0.113.9", evidence.IpAddress);
    }

    [Fact]
    public void Accepting_a_viewed_quote_is_allowed()
    {
        var state = Sample.SentProposal();
        state.MarkViewed(Sample.ClientActor(), Now);
        state.Accept(Sample.Accept(), Now);
        Assert.Equal(ProposalStatus.Accepted, state.Status);
    }

    [Fact]
    public void Accepting_at_the_last_moment_of_valid_until_local_time_is_allowed()
    {
        var state = Sample.SentProposal();
        state.Accept(Sample.Accept(), LastMoment);
        Assert.Equal(ProposalStatus.Accepted, state.StatusAt(LastMoment.AddDays(1)));
    }

    [Fact]
    public void Accepting_an_expired_quote_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "proposal.expired", RuleKind.Conflict, () => state.Accept(Sample.Accept(), LastMoment.AddMilliseconds(1)));
    }

    [Fact]
    public void A_sent_quote_reports_expired_once_valid_until_is_over_without_any_reminder()
    {
        var state = Sample.SentProposal();
        var after = LastMoment.AddMilliseconds(1);

        Assert.Equal(ProposalStatus.Sent, state.StatusAt(LastMoment));
        Assert.Equal(ProposalStatus.Expired, state.StatusAt(after));
        Assert.Equal(ProposalStatus.Expired, state.ToView(Guid.NewGuid(), after).Status);
        Assert.Equal(ProposalStatus.Sent, state.Status);
    }

    [Fact]
    public void A_draft_past_valid_until_stays_a_draft()
    {
        var state = Sample.DraftProposal();
        Assert.Equal(ProposalStatus.Draft, state.StatusAt(LastMoment.AddDays(3)));
    }

    [Fact]
    public void Accepting_an_old_document_version_is_refused_with_review_again()
    {
        var state = Sample.SentProposal();
        state.Edit(new EditProposal(Sample.Lines(), "v2", Sample.ValidUntil), Now);

        var violation = Refuse.Unchanged(state, "proposal.stale_version", RuleKind.Conflict, () => state.Accept(Sample.Accept(documentVersion: 1), Now));
        Assert.Equal("This quote has changed — review it again", violation.Message);
    }

    [Fact]
    public void An_estimate_that_changed_says_estimate()
    {
        var state = Sample.SentProposal(DocumentKind.Estimate);
        state.Edit(new EditProposal(Sample.Lines(), "v2", Sample.ValidUntil), Now);

        var violation = Refuse.With("proposal.stale_version", RuleKind.Conflict, () => state.Decline(new DeclineProposal(1, Sample.ClientActor(), null), Now));
        Assert.Equal("This estimate has changed — review it again", violation.Message);
    }

    [Fact]
    public void Accepting_the_new_version_after_an_edit_is_allowed()
    {
        var state = Sample.SentProposal();
        state.Edit(new EditProposal(Sample.Lines(), "v2", Sample.ValidUntil), Now);
        state.Accept(Sample.Accept(documentVersion: 2), Now);
        Assert.Equal(2, state.Acceptance!.DocumentVersion);
    }

    [Fact]
    public void Accepting_a_draft_is_refused()
    {
        var state = Sample.DraftProposal();
        Refuse.Unchanged(state, "proposal.not_open", RuleKind.Conflict, () => state.Accept(Sample.Accept(), Now));
    }

    [Theory]
    [InlineData("accepted")]
    [InlineData("declined")]
    [InlineData("withdrawn")]
    public void Accepting_a_closed_quote_is_refused(string how)
    {
        var state = Sample.SentProposal();
        Close(state, how);
        Refuse.Unchanged(state, "proposal.not_open", RuleKind.Conflict, () => state.Accept(Sample.Accept(), Now));
    }

    [Fact]
    public void Accepting_a_durably_expired_quote_is_refused()
    {
        var state = Sample.SentProposal();
        Assert.True(state.MarkExpired(LastMoment.AddSeconds(1)));
        Refuse.Unchanged(state, "proposal.expired", RuleKind.Conflict, () => state.Accept(Sample.Accept(), LastMoment.AddSeconds(2)));
    }

    [Fact]
    public void Accepting_with_an_invalid_signature_is_refused_and_changes_nothing()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "validation.signature", RuleKind.Invalid, () => state.Accept(Sample.Accept(signature: Sample.Typed("\u202E ")), Now));
    }

    [Fact]
    public void Declining_a_sent_quote_records_the_reason()
    {
        var state = Sample.SentProposal();
        state.Decline(new DeclineProposal(1, Sample.ClientActor(), "  Too expensive\u0007 "), Now);

        Assert.Equal(ProposalStatus.Declined, state.Status);
        Assert.Equal("Too expensive", state.DeclineReason);
        Assert.Equal(Now, state.DeclinedAt);
        Assert.Equal(Now, state.ClosedAt);
    }

    [Fact]
    public void Declining_a_viewed_quote_without_a_reason_is_allowed()
    {
        var state = Sample.SentProposal();
        state.MarkViewed(Sample.ClientActor(), Now);
        state.Decline(new DeclineProposal(1, Sample.ClientActor(), null), Now);
        Assert.Equal(ProposalStatus.Declined, state.Status);
        Assert.Null(state.DeclineReason);
    }

    [Fact]
    public void Declining_an_expired_quote_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "proposal.expired", RuleKind.Conflict,
            () => state.Decline(new DeclineProposal(1, Sample.ClientActor(), null), LastMoment.AddMilliseconds(1)));
    }

    [Fact]
    public void Declining_a_draft_is_refused()
    {
        var state = Sample.DraftProposal();
        Refuse.Unchanged(state, "proposal.not_open", RuleKind.Conflict, () => state.Decline(new DeclineProposal(1, Sample.ClientActor(), null), Now));
    }

    [Theory]
    [InlineData("accepted")]
    [InlineData("declined")]
    [InlineData("withdrawn")]
    public void Declining_a_closed_quote_is_refused(string how)
    {
        var state = Sample.SentProposal();
        Close(state, how);
        Refuse.Unchanged(state, "proposal.not_open", RuleKind.Conflict, () => state.Decline(new DeclineProposal(1, Sample.ClientActor(), null), Now));
    }

    [Fact]
    public void Declining_with_a_reason_over_2000_characters_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "validation.reason", RuleKind.Invalid,
            () => state.Decline(new DeclineProposal(1, Sample.ClientActor(), new string('x', 2001)), Now));
    }

    [Theory]
    [InlineData(ProposalStatus.Draft)]
    [InlineData(ProposalStatus.Sent)]
    [InlineData(ProposalStatus.Viewed)]
    public void Withdrawing_an_undecided_proposal_is_allowed(ProposalStatus from)
    {
        var state = Sample.DraftProposal();
        if (from != ProposalStatus.Draft) state.Send(Now);
        if (from == ProposalStatus.Viewed) state.MarkViewed(Sample.ClientActor(), Now);

        state.Withdraw(Now);
        Assert.Equal(ProposalStatus.Withdrawn, state.Status);
        Assert.Equal(Now, state.ClosedAt);
    }

    [Theory]
    [InlineData("accepted")]
    [InlineData("declined")]
    [InlineData("withdrawn")]
    public void Withdrawing_a_closed_quote_is_refused(string how)
    {
        var state = Sample.SentProposal();
        Close(state, how);
        Refuse.Unchanged(state, "proposal.not_withdrawable", RuleKind.Conflict, () => state.Withdraw(Now));
    }

    [Fact]
    public void Withdrawing_an_expired_quote_is_refused()
    {
        var state = Sample.SentProposal();
        Refuse.Unchanged(state, "proposal.expired", RuleKind.Conflict, () => state.Withdraw(LastMoment.AddMilliseconds(1)));
    }

    [Fact]
    public void Marking_expired_records_it_durably_once_valid_until_is_over()
    {
        var state = Sample.SentProposal();
        Assert.False(state.MarkExpired(LastMoment));
        Assert.True(state.MarkExpired(LastMoment.AddMilliseconds(1)));
        Assert.Equal(ProposalStatus.Expired, state.Status);
        Assert.Equal(LastMoment.AddMilliseconds(1), state.ClosedAt);
        Assert.False(state.MarkExpired(LastMoment.AddDays(1)));
    }

    [Fact]
    public void Marking_expired_leaves_accepted_and_draft_proposals_alone()
    {
        var accepted = Sample.SentProposal();
        accepted.Accept(Sample.Accept(), Now);
        Assert.False(accepted.MarkExpired(LastMoment.AddDays(1)));
        Assert.Equal(ProposalStatus.Accepted, accepted.Status);

        var draft = Sample.DraftProposal();
        Assert.False(draft.MarkExpired(LastMoment.AddDays(1)));
    }

    [Fact]
    public void Valid_until_follows_the_proposal_time_zone()
    {
        var state = new ProposalState();
        state.Create(Sample.CreateProposal() with { TimeZone = "America/New_York" }, Now);
        state.Send(Now);
        // 20 June ends at 04:00 UTC on 21 June in New York (EDT, UTC−4).
        Assert.Equal(ProposalStatus.Sent, state.StatusAt(new DateTimeOffset(2026, 6, 21, 3, 59, 59, TimeSpan.Zero)));
        Assert.Equal(ProposalStatus.Expired, state.StatusAt(new DateTimeOffset(2026, 6, 21, 4, 0, 0, TimeSpan.Zero)));
    }

    private static void Close(ProposalState state, string how)
    {
        switch (how)
        {
            case "accepted": state.Accept(Sample.Accept(), Now); break;
            case "declined": state.Decline(new DeclineProposal(1, Sample.ClientActor(), null), Now); break;
            case "withdrawn": state.Withdraw(Now); break;
            default: throw new ArgumentOutOfRangeException(nameof(how));
        }
    }
}
