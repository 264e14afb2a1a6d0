using Portal.Domain;

namespace Portal.Tests.Grains;

/// <summary>
/// A send is one grain call: Sent status, link and email together, under ids derived from the document and the
/// send number. (Failures injected between the steps are proven end to end in the functional SendRetryTests.)
/// </summary>
[Collection(ClusterCollection.Name)]
public class DocumentSendTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task A_send_marks_the_quote_sent_issues_its_link_and_stores_its_email_under_derived_ids()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateDraftProposalAsync(setup);
        var id = proposal.GetPrimaryKey();
        var command = Sample.SendDocument(id, setup.CompanyId, setup.ProjectId, Clock.GetUtcNow());

        var sent = await proposal.Send(command);

        Assert.Equal(ProposalStatus.Sent, sent.Proposal.Status);
        Assert.Equal(command.PortalUrl, sent.Email.PortalUrl);
        Assert.Equal(DerivedIds.For(id, "send-1:link"), sent.Email.LinkId);
        Assert.Equal(DerivedIds.For(id, "send-1:mail"), sent.Email.Message.Id);
        var link = await Grains.GetGrain<IPortalLinkGrain>(command.TokenHash).Resolve();
        Assert.Equal((sent.Email.LinkId, setup.ClientId, new LinkTarget(LinkTargetKind.Proposal, id)), (link.LinkId, link.ClientId, link.Target));
        var message = await Grains.GetGrain<IMailMessageGrain>(sent.Email.Message.Id).Get();
        Assert.Equal((MailKind.Quote, (Guid?)id, "jane@example.com"), (message.Kind, message.DocumentId, message.To));
    }

    [Fact]
    public async Task A_second_send_of_a_sent_invoice_is_refused_and_stores_no_second_email()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var again = Sample.SendDocument(invoice.GetPrimaryKey(), setup.CompanyId, setup.ProjectId, Clock.GetUtcNow(), kind: MailKind.Invoice);

        await Refuse.WithAsync(RuleCodes.InvoiceNotSendable, RuleKind.Conflict, () => invoice.Send(again));

        Assert.Single(await Grains.GetGrain<IProjectMailGrain>(setup.ProjectId).List());
        await Assert.ThrowsAsync<PortalRuleViolation>(() => Grains.GetGrain<IPortalLinkGrain>(again.TokenHash).Get());
    }

    [Fact]
    public async Task A_send_whose_email_is_about_another_document_is_refused_and_changes_nothing()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateDraftProposalAsync(setup);
        var command = Sample.SendDocument(Guid.NewGuid(), setup.CompanyId, setup.ProjectId, Clock.GetUtcNow());

        await Refuse.WithAsync(RuleCodes.ValidationMail, RuleKind.Invalid, () => proposal.Send(command));

        Assert.Equal(ProposalStatus.Draft, (await proposal.Get()).Status);
        Assert.Empty(await Grains.GetGrain<IProjectMailGrain>(setup.ProjectId).List());
    }

    private async Task<IProposalGrain> CreateDraftProposalAsync(Setup setup)
    {
        var proposal = Grains.GetGrain<IProposalGrain>(Guid.NewGuid());
        var number = await Grains.GetGrain<ICompanyGrain>(setup.CompanyId).AllocateDocumentNumber(DocumentKind.Quote);
        await proposal.Create(Sample.CreateProposal(
            validUntil: Today.AddDays(30), projectId: setup.ProjectId, companyId: setup.CompanyId, clientId: setup.ClientId, number: number));
        return proposal;
    }
}
