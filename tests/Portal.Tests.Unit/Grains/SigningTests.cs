using Portal.Domain;

namespace Portal.Tests.Grains;

/// <summary>Accepting and declining through the proposal grain: evidence, refusals, races and the activity chain.</summary>
[Collection(ClusterCollection.Name)]
public class SigningTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task Accepting_stores_the_evidence_and_chains_its_hash_into_the_project_log()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);
        var link = Guid.NewGuid();
        var png = TestPng.Create(600, 200);

        var accepted = await proposal.Accept(new AcceptProposal(1, Sample.ClientActor(setup.ClientId),
            Sample.Drawn(png) with { LinkId = link, IpAddress = "198.51.100.7", UserAgent = "Firefox/140" }, 1));

        Assert.Equal(ProposalStatus.Accepted, accepted.Status);
        var evidence = accepted.Acceptance!;
        Assert.Equal(SignatureMethod.Drawn, evidence.Method);
        Assert.Equal(png, evidence.DrawnPng);
        Assert.Equal("Jane Smith", evidence.SignerName);
        Assert.Equal("jane@example.com", evidence.SignerEmail);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, evidence.SignedAtUtc.UtcDateTime, TimeSpan.FromSeconds(5));
        Assert.Equal("198.51.100.7", evidence.IpAddress);
        Assert.Equal("Firefox/140", evidence.UserAgent);
        Assert.Equal(link, evidence.LinkId);
        Assert.Equal(1, evidence.DocumentVersion);
        Assert.Equal(accepted.DocumentSha256, evidence.DocumentSha256);

        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var entry = await WaitForActivityAsync(setup.ProjectId, ActivityTypes.ProposalAccepted, proposal.GetPrimaryKey());
        Assert.Contains($"evidence SHA-256 {SignatureEvidenceHash.Compute(evidence)}", entry.Detail);
        Assert.True((await project.VerifyActivity()).Ok);

        // Stored: a fresh activation shows the same evidence, and it still hashes to what the chain holds.
        await Fixture.Cluster.DeactivateAsync(proposal);
        var reloaded = (await proposal.Get()).Acceptance!;
        Assert.Equal(png, reloaded.DrawnPng);
        Assert.Contains(SignatureEvidenceHash.Compute(reloaded), entry.Detail);
    }

    [Fact]
    public async Task Two_concurrent_accepts_store_exactly_one_acceptance_and_the_other_is_told_it_is_not_open()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);

        var outcomes = await Task.WhenAll(
            Attempt(() => proposal.Accept(Sample.Accept(signature: Sample.Typed("First Tab")))),
            Attempt(() => proposal.Accept(Sample.Accept(signature: Sample.Drawn(TestPng.Create(40, 20))))));

        var winner = Assert.Single(outcomes, o => o.View is not null);
        var loser = Assert.Single(outcomes, o => o.Refusal is not null);
        Assert.Equal("proposal.not_open", loser.Refusal!.Code);
        Assert.Equal(RuleKind.Conflict, loser.Refusal.Kind);
        var stored = await proposal.Get();
        Assert.Equal(ProposalStatus.Accepted, stored.Status);
        Assert.Equal(SignatureEvidenceHash.Compute(winner.View!.Acceptance!), SignatureEvidenceHash.Compute(stored.Acceptance!));
        await WaitForActivityAsync(setup.ProjectId, ActivityTypes.ProposalAccepted, proposal.GetPrimaryKey());
        var log = await Grains.GetGrain<IProjectGrain>(setup.ProjectId).GetActivity();
        Assert.Single(log, e => e.Type == ActivityTypes.ProposalAccepted);
    }

    [Fact]
    public async Task An_accept_racing_a_decline_lets_exactly_one_decide()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);

        var outcomes = await Task.WhenAll(
            Attempt(() => proposal.Accept(Sample.Accept())),
            Attempt(() => proposal.Decline(new DeclineProposal(1, Sample.ClientActor(setup.ClientId), "Changed my mind"))));

        Assert.Single(outcomes, o => o.View is not null);
        Assert.Equal("proposal.not_open", Assert.Single(outcomes, o => o.Refusal is not null).Refusal!.Code);
        var stored = await proposal.Get();
        Assert.True(stored.Status is ProposalStatus.Accepted or ProposalStatus.Declined);
        Assert.Equal(stored.Status == ProposalStatus.Accepted, stored.Acceptance is not null);
    }

    [Fact]
    public async Task Every_refusal_leaves_the_proposal_and_its_log_unchanged()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);

        var edited = await CreateSentProposalAsync(setup);
        await edited.Edit(new EditProposal(Sample.Lines(), "Now with parts", Today.AddDays(20)));
        await RefusedUnchangedAsync(edited, project, "proposal.stale_version", RuleKind.Conflict, p => p.Accept(Sample.Accept(documentVersion: 1)));
        await RefusedUnchangedAsync(edited, project, "proposal.stale_version", RuleKind.Conflict, p => p.Decline(new DeclineProposal(1, Sample.ClientActor(), null)));

        var withdrawn = await CreateSentProposalAsync(setup);
        await withdrawn.Withdraw();
        await RefusedUnchangedAsync(withdrawn, project, "proposal.not_open", RuleKind.Conflict, p => p.Accept(Sample.Accept()));
        await RefusedUnchangedAsync(withdrawn, project, "proposal.not_open", RuleKind.Conflict, p => p.Decline(new DeclineProposal(1, Sample.ClientActor(), null)));

        var declined = await CreateSentProposalAsync(setup);
        await declined.Decline(new DeclineProposal(1, Sample.ClientActor(), "Too dear"));
        await RefusedUnchangedAsync(declined, project, "proposal.not_open", RuleKind.Conflict, p => p.Accept(Sample.Accept()));

        var accepted = await CreateSentProposalAsync(setup);
        await accepted.Accept(Sample.Accept());
        await WaitForActivityAsync(setup.ProjectId, ActivityTypes.ProposalAccepted, accepted.GetPrimaryKey());
        await RefusedUnchangedAsync(accepted, project, "proposal.not_open", RuleKind.Conflict, p => p.Accept(Sample.Accept(signature: Sample.Typed("Someone else"))));
        await RefusedUnchangedAsync(accepted, project, "proposal.not_open", RuleKind.Conflict, p => p.Decline(new DeclineProposal(1, Sample.ClientActor(), null)));

        var open = await CreateSentProposalAsync(setup);
        await RefusedUnchangedAsync(open, project, "validation.signature", RuleKind.Invalid, p => p.Accept(Sample.Accept(signature: Sample.Drawn("<svg/>"u8.ToArray()))));
        await RefusedUnchangedAsync(open, project, "validation.signature", RuleKind.Invalid, p => p.Accept(Sample.Accept(signature: Sample.Drawn(TestPng.Create(100, 100, totalBytes: 200 * 1024 + 1)))));
        await RefusedUnchangedAsync(open, project, "validation.signature", RuleKind.Invalid, p => p.Accept(Sample.Accept(signature: Sample.Drawn(TestPng.Create(5000, 1)))));
        await RefusedUnchangedAsync(open, project, "validation.signature", RuleKind.Invalid, p => p.Accept(Sample.Accept(signature: Sample.Typed("\u202E\u0000  "))));
        await RefusedUnchangedAsync(open, project, "validation.consent", RuleKind.Invalid, p => p.Accept(Sample.Accept(signature: Sample.Typed("Jane") with { ConsentText = "" })));
        Assert.True((await project.VerifyActivity()).Ok);
    }

    [Fact]
    public async Task A_quote_expired_by_its_reminder_refuses_signing_and_its_log_still_verifies()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var validUntil = Today.AddDays(2);
        var proposal = await CreateSentProposalAsync(setup, validUntil);
        try
        {
            // Two seconds before valid-until ends; an edit re-arms the expiry reminder from this clock.
            Clock.SetNow(LocalDay.EndOf(validUntil, Sample.London).AddSeconds(-2));
            var edited = await proposal.Edit(new EditProposal(Sample.Lines(), "Final offer", validUntil));

            await Eventually.UntilAsync(async () => (await project.GetActivity()).Any(e => e.Type == ActivityTypes.ProposalExpired), "the expiry reminder to log the quote as expired");
            await Refuse.WithAsync("proposal.expired", RuleKind.Conflict, () => proposal.Accept(Sample.Accept(edited.DocumentVersion)));
            await Refuse.WithAsync("proposal.expired", RuleKind.Conflict, () => proposal.Decline(new DeclineProposal(edited.DocumentVersion, Sample.ClientActor(), null)));
            var view = await proposal.Get();
            Assert.Equal(ProposalStatus.Expired, view.Status);
            Assert.Null(view.Acceptance);
            Assert.True((await project.VerifyActivity()).Ok);
        }
        finally
        {
            Clock.Reset();
        }
    }

    [Fact]
    public async Task Declining_keeps_the_reason_as_given_apart_from_control_characters_and_logs_it()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);

        var declined = await proposal.Decline(new DeclineProposal(1, Sample.ClientActor(setup.ClientId), "<script>alert(1)</script>\u202E too dear"));

        Assert.Equal(ProposalStatus.Declined, declined.Status);
        Assert.Equal("<script>alert(1)</script> too dear", declined.DeclineReason);
        var entry = (await Grains.GetGrain<IProjectGrain>(setup.ProjectId).GetActivity()).Single(e => e.Type == ActivityTypes.ProposalDeclined);
        Assert.Equal(declined.DeclineReason, entry.Detail);
    }

    private static async Task RefusedUnchangedAsync(IProposalGrain proposal, IProjectGrain project, string code, RuleKind kind, Func<IProposalGrain, Task> action)
    {
        var before = System.Text.Json.JsonSerializer.Serialize(await proposal.Get());
        var logBefore = (await project.GetActivity()).Count;
        await Refuse.WithAsync(code, kind, () => action(proposal));
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(await proposal.Get()));
        Assert.Equal(logBefore, (await project.GetActivity()).Count);
    }

    private sealed record Outcome(ProposalView? View, PortalRuleViolation? Refusal);

    private static async Task<Outcome> Attempt(Func<Task<ProposalView>> action)
    {
        try
        {
            return new Outcome(await action(), null);
        }
        catch (PortalRuleViolation refusal)
        {
            return new Outcome(null, refusal);
        }
    }
}
