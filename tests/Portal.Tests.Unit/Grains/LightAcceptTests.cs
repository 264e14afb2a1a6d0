namespace Portal.Tests.Grains;

/// <summary>
/// An accept answers after the proposal's own durable write; the project summary, its activity (and with it the
/// staff email and the feed) follow from the stored report, delivered after the answer and retried.
/// </summary>
[Collection(ClusterCollection.Name)]
public class LightAcceptTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task An_accept_is_stored_with_its_report_and_the_project_catches_up_once_even_across_a_deactivation()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);

        var accepted = await proposal.Accept(Sample.Accept());
        // Whatever the report had reached, a fresh activation of both grains starts from storage only.
        await Fixture.Cluster.DeactivateAsync(proposal);
        await Fixture.Cluster.DeactivateAsync(Grains.GetGrain<IProjectGrain>(setup.ProjectId));

        Assert.Equal(ProposalStatus.Accepted, (await proposal.Get()).Status);
        var entry = await WaitForActivityAsync(setup.ProjectId, ActivityTypes.ProposalAccepted, proposal.GetPrimaryKey());
        Assert.Equal(accepted.Acceptance!.SignerName, entry.By.Name);
        var project = await Grains.GetGrain<IProjectGrain>(setup.ProjectId).Get();
        Assert.Equal(ProposalStatus.Accepted, Assert.Single(project.Proposals).Status);
        Assert.Single(await Grains.GetGrain<IProjectGrain>(setup.ProjectId).GetActivity(), e => e.Type == ActivityTypes.ProposalAccepted);
    }

    [Fact]
    public async Task A_new_document_reaches_its_project_through_the_durable_report()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);
        var invoice = await CreateSentInvoiceAsync(setup);

        var project = await Grains.GetGrain<IProjectGrain>(setup.ProjectId).Get();
        Assert.Equal(proposal.GetPrimaryKey(), Assert.Single(project.Proposals).Id);
        Assert.Equal(invoice.GetPrimaryKey(), Assert.Single(project.Invoices).Id);
    }
}
