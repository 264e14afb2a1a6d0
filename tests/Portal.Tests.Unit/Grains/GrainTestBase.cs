namespace Portal.Tests.Grains;

/// <summary>Creates the company → client → project chain most grain tests start from.</summary>
public abstract class GrainTestBase(PortalClusterFixture fixture)
{
    protected PortalClusterFixture Fixture { get; } = fixture;

    protected IGrainFactory Grains => Fixture.Client;

    protected TestClock Clock => Fixture.Clock;

    protected DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(Sample.London)).DateTime);

    protected sealed record Setup(Guid CompanyId, Guid ClientId, Guid ProjectId, int ProjectNumber);

    protected async Task<Setup> CreateProjectAsync()
    {
        var companyId = Guid.NewGuid();
        var clientId = Guid.NewGuid();
        var projectId = Guid.NewGuid();
        var company = Grains.GetGrain<ICompanyGrain>(companyId);
        await company.Create("Acme Heating");
        await Grains.GetGrain<IClientGrain>(clientId).Create(companyId, new ClientDetails("Jane Smith", "jane@example.com"));
        var number = await company.AllocateProjectNumber();
        await Grains.GetGrain<IProjectGrain>(projectId).Create(new CreateProject(companyId, clientId, number, "Kitchen refit", null));
        return new Setup(companyId, clientId, projectId, number);
    }

    /// <summary>
    /// Waits for the project's log to hold an entry of this type for the document. An accept answers after the
    /// proposal's own write; its report reaches the project right after, so the test awaits that event.
    /// </summary>
    protected async Task<ActivityEntry> WaitForActivityAsync(Guid projectId, string type, Guid documentId)
    {
        var project = Grains.GetGrain<IProjectGrain>(projectId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var entry = (await project.GetActivity()).SingleOrDefault(e => e.Type == type && e.DocumentId == documentId);
            if (entry is not null)
            {
                return entry;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }
    }

    protected async Task<IProposalGrain> CreateSentProposalAsync(Setup setup, DateOnly? validUntil = null)
    {
        var proposal = Grains.GetGrain<IProposalGrain>(Guid.NewGuid());
        var number = await Grains.GetGrain<ICompanyGrain>(setup.CompanyId).AllocateDocumentNumber(DocumentKind.Quote);
        await proposal.Create(Sample.CreateProposal(
            validUntil: validUntil ?? Today.AddDays(30), projectId: setup.ProjectId, companyId: setup.CompanyId,
            clientId: setup.ClientId, number: number));
        await proposal.Send(Sample.SendDocument(proposal.GetPrimaryKey(), setup.CompanyId, setup.ProjectId, Clock.GetUtcNow()));
        return proposal;
    }

    protected async Task<IInvoiceGrain> CreateSentInvoiceAsync(Setup setup)
    {
        var invoice = Grains.GetGrain<IInvoiceGrain>(Guid.NewGuid());
        var number = await Grains.GetGrain<ICompanyGrain>(setup.CompanyId).AllocateDocumentNumber(DocumentKind.Invoice);
        await invoice.Create(Sample.CreateInvoice(setup.ProjectId, setup.CompanyId, setup.ClientId) with { Number = number });
        await invoice.Send(Sample.SendDocument(invoice.GetPrimaryKey(), setup.CompanyId, setup.ProjectId, Clock.GetUtcNow(), kind: MailKind.Invoice));
        return invoice;
    }
}
