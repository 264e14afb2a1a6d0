namespace Portal.Tests.Grains;

[Collection(ClusterCollection.Name)]
public class GrainFlowTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task A_company_hands_out_numbers_per_sequence_and_remembers_them()
    {
        var company = Grains.GetGrain<ICompanyGrain>(Guid.NewGuid());
        var view = await company.Create("Acme Heating");
        Assert.Equal("#1d4ed8", view.BrandColour);

        Assert.Equal(1001, await company.AllocateProjectNumber());
        Assert.Equal(1002, await company.AllocateProjectNumber());
        Assert.Equal("Q-0001", await company.AllocateDocumentNumber(DocumentKind.Quote));
        Assert.Equal("E-0001", await company.AllocateDocumentNumber(DocumentKind.Estimate));
        Assert.Equal("INV-0001", await company.AllocateDocumentNumber(DocumentKind.Invoice));
        Assert.Equal("Q-0002", await company.AllocateDocumentNumber(DocumentKind.Quote));

        // Numbers were persisted: a fresh activation continues the sequence.
        await Fixture.Cluster.DeactivateAsync(company);
        Assert.Equal(1003, await company.AllocateProjectNumber());
        Assert.Equal("Q-0003", await company.AllocateDocumentNumber(DocumentKind.Quote));
    }

    [Fact]
    public async Task Never_created_grains_report_not_found_across_the_grain_boundary()
    {
        var id = Guid.NewGuid();
        Assert.False(await Grains.GetGrain<IProposalGrain>(id).Exists());
        await Refuse.WithAsync("proposal.not_found", RuleKind.NotFound, () => Grains.GetGrain<IProposalGrain>(id).Get());
        await Refuse.WithAsync("invoice.not_found", RuleKind.NotFound, () => Grains.GetGrain<IInvoiceGrain>(id).Get());
        await Refuse.WithAsync("project.not_found", RuleKind.NotFound, () => Grains.GetGrain<IProjectGrain>(id).Get());
        await Refuse.WithAsync("client.not_found", RuleKind.NotFound, () => Grains.GetGrain<IClientGrain>(id).Get());
        await Refuse.WithAsync("company.not_found", RuleKind.NotFound, () => Grains.GetGrain<ICompanyGrain>(id).Get());
        await Refuse.WithAsync("link.not_found", RuleKind.NotFound, () => Grains.GetGrain<IPortalLinkGrain>(new string('0', 64)).Resolve());
    }

    [Fact]
    public async Task A_rule_violation_keeps_its_code_kind_and_message_across_the_grain_boundary()
    {
        var company = Grains.GetGrain<ICompanyGrain>(Guid.NewGuid());
        await company.Create("Acme");
        var violation = await Refuse.WithAsync("validation.brand_colour", RuleKind.Invalid,
            () => company.UpdateSettings(new CompanySettings { BrandColour = "blue" }));
        Assert.Contains("blue", violation.Message);
        await Refuse.WithAsync("company.exists", RuleKind.Conflict, () => company.Create("Again"));
    }

    [Fact]
    public async Task Creating_a_project_indexes_it_on_the_client_and_the_company()
    {
        var setup = await CreateProjectAsync();

        var projects = await Grains.GetGrain<IClientGrain>(setup.ClientId).GetProjects();
        var entry = Assert.Single(projects.Open);
        Assert.Equal(setup.ProjectNumber, entry.Number);
        Assert.Empty(projects.Complete);
        Assert.Contains(setup.ProjectId, await Grains.GetGrain<ICompanyGrain>(setup.CompanyId).GetProjectIds());
        Assert.Contains(setup.ClientId, await Grains.GetGrain<ICompanyGrain>(setup.CompanyId).GetClientIds());
    }

    [Fact]
    public async Task Completing_and_reopening_moves_the_project_between_the_clients_tabs()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var client = Grains.GetGrain<IClientGrain>(setup.ClientId);

        await project.Complete();
        var afterComplete = await client.GetProjects();
        Assert.Empty(afterComplete.Open);
        Assert.Equal(setup.ProjectId, Assert.Single(afterComplete.Complete).ProjectId);
        await Refuse.WithAsync("project.already_complete", RuleKind.Conflict, () => project.Complete());

        await project.Reopen();
        Assert.Single((await client.GetProjects()).Open);
    }

    [Fact]
    public async Task A_project_for_an_unknown_client_is_refused()
    {
        var company = Grains.GetGrain<ICompanyGrain>(Guid.NewGuid());
        await company.Create("Acme");
        var project = Grains.GetGrain<IProjectGrain>(Guid.NewGuid());
        await Refuse.WithAsync("client.not_found", RuleKind.NotFound,
            () => project.Create(new CreateProject(company.GetPrimaryKey(), Guid.NewGuid(), 1001, "x", null)));
        Assert.False(await project.Exists());
    }

    [Fact]
    public async Task The_project_overview_follows_its_proposals_and_invoices()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var versionAtStart = (await project.Get()).Version;

        var proposal = await CreateSentProposalAsync(setup);
        var overview = await project.Get();
        Assert.Equal(ProposalStatus.Sent, Assert.Single(overview.Proposals).Status);

        var accepted = await proposal.Accept(Sample.Accept());
        await WaitForActivityAsync(setup.ProjectId, ActivityTypes.ProposalAccepted, proposal.GetPrimaryKey());
        overview = await project.Get();
        Assert.Equal(ProposalStatus.Accepted, overview.Proposals[0].Status);
        Assert.Equal(accepted.Totals.Total, overview.Proposals[0].Total);

        var invoice = await CreateSentInvoiceAsync(setup);
        await invoice.RecordManualPayment(Sample.Payment(20m));
        overview = await project.Get();
        var summary = Assert.Single(overview.Invoices);
        Assert.Equal(InvoiceStatus.PartiallyPaid, summary.Status);
        Assert.Equal(100m, summary.Balance);
        Assert.Equal(20m, Assert.Single(summary.Payments).Amount);
        Assert.True(overview.Version > versionAtStart);

        // Telling the project the same summary again is idempotent.
        var version = overview.Version;
        await project.ApplyDocumentChange(new DocumentChange(null, (await Grains.GetGrain<IInvoiceGrain>(invoice.GetPrimaryKey()).Get()) is var v
            ? new InvoiceSummary(v.Id, v.Number, v.Status, v.Totals.Total, v.Balance, v.Totals.Currency, v.SentAt, v.DueDate, v.Payments)
            : throw new InvalidOperationException(), []));
        Assert.Equal(version, (await project.Get()).Version);
    }

    [Fact]
    public async Task Documents_cannot_be_added_to_a_complete_project()
    {
        var setup = await CreateProjectAsync();
        await Grains.GetGrain<IProjectGrain>(setup.ProjectId).Complete();

        var proposal = Grains.GetGrain<IProposalGrain>(Guid.NewGuid());
        await Refuse.WithAsync("project.complete", RuleKind.Conflict, () => proposal.Create(Sample.CreateProposal(
            validUntil: Today.AddDays(5), projectId: setup.ProjectId, companyId: setup.CompanyId, clientId: setup.ClientId)));
        Assert.False(await proposal.Exists());

        var invoice = Grains.GetGrain<IInvoiceGrain>(Guid.NewGuid());
        await Refuse.WithAsync("project.complete", RuleKind.Conflict,
            () => invoice.Create(Sample.CreateInvoice(setup.ProjectId, setup.CompanyId, setup.ClientId)));
        await Refuse.WithAsync("project.complete", RuleKind.Conflict,
            () => Grains.GetGrain<IProjectGrain>(setup.ProjectId).AddBooking("Survey", Clock.GetUtcNow(), Clock.GetUtcNow().AddHours(1)));
    }

    [Fact]
    public async Task An_edited_quote_can_only_be_signed_at_its_new_version()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);
        await proposal.MarkViewed(Sample.ClientActor(setup.ClientId));
        var edited = await proposal.Edit(new EditProposal(Sample.Lines(), "Revised", Today.AddDays(40)));
        Assert.Equal(2, edited.DocumentVersion);
        Assert.Equal(ProposalStatus.Sent, edited.Status);

        await Refuse.WithAsync("proposal.stale_version", RuleKind.Conflict, () => proposal.Accept(Sample.Accept(documentVersion: 1)));
        var accepted = await proposal.Accept(Sample.Accept(documentVersion: 2));
        Assert.Equal(edited.DocumentSha256, accepted.Acceptance!.DocumentSha256);
        Assert.Equal(accepted.DocumentSha256, accepted.Acceptance.DocumentSha256);
    }

    [Fact]
    public async Task Viewing_twice_keeps_the_first_view()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);
        var first = await proposal.MarkViewed(Sample.ClientActor(setup.ClientId));
        var second = await proposal.MarkViewed(Sample.Staff());
        Assert.Equal(ProposalStatus.Viewed, second.Status);
        Assert.Equal(first.FirstViewed, second.FirstViewed);
    }

    [Fact]
    public async Task A_portal_link_resolves_until_revoked_and_is_registered_with_the_company()
    {
        var setup = await CreateProjectAsync();
        var tokenHash = Portal.Domain.Hashing.Sha256Hex(Guid.NewGuid().ToString());
        var link = Grains.GetGrain<IPortalLinkGrain>(tokenHash);
        var command = new IssuePortalLink(Guid.NewGuid(), setup.CompanyId, setup.ClientId,
            new LinkTarget(LinkTargetKind.Project, setup.ProjectId), Clock.GetUtcNow().AddDays(90));

        await link.Issue(command);
        await link.Issue(command);
        await Refuse.WithAsync("link.exists", RuleKind.Conflict, () => link.Issue(command with { LinkId = Guid.NewGuid() }));
        Assert.Equal(setup.ClientId, (await link.Resolve()).ClientId);
        var record = await Grains.GetGrain<ICompanyGrain>(setup.CompanyId).FindPortalLink(command.LinkId);
        Assert.Equal(tokenHash, record!.TokenHash);

        await link.Revoke();
        await link.Revoke();
        await Refuse.WithAsync("link.revoked", RuleKind.Gone, () => link.Resolve());
        Assert.NotNull((await link.Get()).RevokedAt);
    }

    [Fact]
    public async Task The_staff_directory_authenticates_api_keys_by_hash()
    {
        var directory = Grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty);
        var companyId = (await directory.Get()).CompanyId ?? Guid.NewGuid();
        await directory.SetCompany(companyId);
        var hash = Portal.Domain.Hashing.Sha256Hex("test-key-" + Guid.NewGuid());
        await directory.AddApiKey(hash, "Tests");

        Assert.Equal(companyId, (await directory.AuthenticateApiKey(hash))!.CompanyId);
        Assert.Null(await directory.AuthenticateApiKey(Portal.Domain.Hashing.Sha256Hex("wrong")));
        Assert.True((await directory.Get()).HasApiKey);
    }
}
