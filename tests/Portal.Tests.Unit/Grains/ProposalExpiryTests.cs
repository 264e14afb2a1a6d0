namespace Portal.Tests.Grains;

[Collection(ClusterCollection.Name)]
public class ProposalExpiryTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task A_sent_quote_reports_expired_after_valid_until_and_refuses_acceptance()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup, validUntil: Today);
        try
        {
            Clock.Advance(TimeSpan.FromDays(1));

            Assert.Equal(ProposalStatus.Expired, (await proposal.Get()).Status);
            await Refuse.WithAsync("proposal.expired", RuleKind.Conflict, () => proposal.Accept(Sample.Accept()));
        }
        finally
        {
            Clock.Reset();
        }
    }

    [Fact]
    public async Task The_expiry_reminder_records_expired_durably_and_updates_the_project()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var validUntil = Today.AddDays(1);
        var proposal = await CreateSentProposalAsync(setup, validUntil);
        try
        {
            // Jump to two seconds before valid-until ends in London. The reminder armed by Send is a day away, so
            // edit the sent quote: an edit re-arms the expiry reminder from the current clock, due in ~3 s.
            var endOfDay = Portal.Domain.LocalDay.EndOf(validUntil, Sample.London);
            Clock.SetNow(endOfDay.AddSeconds(-2));
            await proposal.Edit(new EditProposal(Sample.Lines(), "Last call", validUntil));

            await Eventually.UntilAsync(async () => (await project.Get()).Proposals.Single().Status == ProposalStatus.Expired, "the expiry reminder to mark the quote expired on the project");
            // Durable: a fresh activation reads Expired from storage, not only from the clock.
            await Fixture.Cluster.DeactivateAsync(proposal);
            Clock.Reset();
            var view = await proposal.Get();
            Assert.Equal(ProposalStatus.Expired, view.Status);
            Assert.NotNull(view.ClosedAt);
        }
        finally
        {
            Clock.Reset();
        }
    }
}
