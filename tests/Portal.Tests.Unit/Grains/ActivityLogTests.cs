namespace Portal.Tests.Grains;

[Collection(ClusterCollection.Name)]
public class ActivityLogTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task Document_changes_are_logged_on_the_project_in_order_with_an_intact_chain()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);
        await proposal.MarkViewed(Sample.ClientActor(setup.ClientId));
        await proposal.MarkViewed(Sample.ClientActor(setup.ClientId));
        var accepted = await proposal.Accept(Sample.Accept());
        await WaitForActivityAsync(setup.ProjectId, ActivityTypes.ProposalAccepted, proposal.GetPrimaryKey());
        var invoice = await CreateSentInvoiceAsync(setup);
        await invoice.RecordManualPayment(Sample.Payment(10m));

        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var log = await project.GetActivity();
        Assert.Equal(
            [ActivityTypes.ProposalSent, ActivityTypes.ProposalViewed, ActivityTypes.ProposalAccepted, ActivityTypes.InvoiceSent, ActivityTypes.PaymentSucceeded],
            log.Select(e => e.Type));
        var acceptance = log[2];
        Assert.Equal(accepted.Id, acceptance.DocumentId);
        Assert.Equal(accepted.Number, acceptance.DocumentNumber);
        Assert.Equal(accepted.Totals.Total, acceptance.Amount);
        Assert.Contains(accepted.DocumentSha256, acceptance.Detail);
        Assert.Equal(ActorKind.Client, acceptance.By.Kind);
        Assert.Equal(10m, log[4].Amount);

        var verification = await project.VerifyActivity();
        Assert.True(verification.Ok);
        Assert.Equal(5, verification.Entries);

        // The log is stored: a fresh activation reads the same chain.
        await Fixture.Cluster.DeactivateAsync(project);
        Assert.Equal(log.Select(e => e.Hash), (await project.GetActivity()).Select(e => e.Hash));
    }

    [Fact]
    public async Task Recording_the_same_entry_twice_keeps_one()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var input = new ActivityInput(Guid.NewGuid(), ActivityTypes.BankDetailsRevealed, Clock.GetUtcNow(), Sample.ClientActor(setup.ClientId));
        var first = await project.RecordActivity(input);
        var again = await project.RecordActivity(input);
        Assert.Equal(first, again);
        Assert.Single(await project.GetActivity());
    }

    [Fact]
    public async Task A_repeated_document_report_changes_nothing()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var before = await project.Get();
        var view = await proposal.Get();
        var summary = before.Proposals.Single(p => p.Id == view.Id);
        var logged = (await project.GetActivity()).Single();

        await project.ApplyDocumentChange(new DocumentChange(summary, null,
            [new ActivityInput(logged.Id, logged.Type, logged.At, logged.By, logged.DocumentId, logged.DocumentNumber, logged.DocumentKind, logged.Amount, logged.Currency, logged.Detail)]));

        Assert.Equal(before.Version, (await project.Get()).Version);
        Assert.Single(await project.GetActivity());
    }

    [Fact]
    public async Task Activity_of_an_unknown_project_is_not_found()
    {
        var project = Grains.GetGrain<IProjectGrain>(Guid.NewGuid());
        await Refuse.WithAsync("project.not_found", RuleKind.NotFound, () => project.GetActivity());
        await Refuse.WithAsync("project.not_found", RuleKind.NotFound, () => project.VerifyActivity());
    }
}
