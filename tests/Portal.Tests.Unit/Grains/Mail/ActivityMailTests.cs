namespace Portal.Tests.Grains.Mail;

/// <summary>Activity on a project (accepted, declined, paid) becomes email through the outbox, once.</summary>
[Collection(MailClusterCollection.Name)]
public class ActivityMailTests(MailClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private sealed record Setup(Guid CompanyId, Guid ClientId, Guid ProjectId, string ClientEmail, string OfficeEmail);

    private async Task<Setup> CreateAsync()
    {
        var companyId = Guid.NewGuid();
        var clientId = Guid.NewGuid();
        var projectId = Guid.NewGuid();
        var office = $"office.{Guid.NewGuid():N}@example.com";
        var clientEmail = $"jane.{Guid.NewGuid():N}@example.com";
        var company = Grains.GetGrain<ICompanyGrain>(companyId);
        await company.Create("Acme Heating", new CompanySettings { NotificationEmail = office, VatNumber = "GB 1" });
        await Grains.GetGrain<IClientGrain>(clientId).Create(companyId, new ClientDetails("Jane Smith", clientEmail));
        var number = await company.AllocateProjectNumber();
        await Grains.GetGrain<IProjectGrain>(projectId).Create(new CreateProject(companyId, clientId, number, "Kitchen refit", null));
        return new Setup(companyId, clientId, projectId, clientEmail, office);
    }

    // The document's own email goes elsewhere: these tests are about the mail that activity calls for.
    private static SendDocument SendOf(Guid documentId, Setup setup, MailKind kind) =>
        Sample.SendDocument(documentId, setup.CompanyId, setup.ProjectId, DateTimeOffset.UtcNow, $"documents.{Guid.NewGuid():N}@example.com", kind);

    private async Task<IReadOnlyList<MailMessageView>> WaitForMessagesAsync(Guid projectId, int count) =>
        (await Eventually.ValueAsync(
            async () => (await Grains.GetGrain<IProjectMailGrain>(projectId).List()).Where(m => m.Kind is not (MailKind.Quote or MailKind.Estimate or MailKind.Invoice)).ToList(),
            list => list.Count >= count && list.All(m => m.Status == MailStatus.Sent),
            $"{count} sent messages of project {projectId}",
            show: list => string.Join(", ", list.Select(m => $"{m.Kind} {m.Status}")))).AsReadOnly();

    [Fact]
    public async Task Accepting_a_quote_notifies_staff_once_at_the_notification_address()
    {
        var setup = await CreateAsync();
        var proposal = Grains.GetGrain<IProposalGrain>(Guid.NewGuid());
        await proposal.Create(Sample.CreateProposal(validUntil: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), projectId: setup.ProjectId, companyId: setup.CompanyId, clientId: setup.ClientId));
        await proposal.Send(SendOf(proposal.GetPrimaryKey(), setup, MailKind.Quote));
        await proposal.Accept(Sample.Accept());

        var message = Assert.Single(await WaitForMessagesAsync(setup.ProjectId, 1));
        Assert.Equal(MailKind.ProposalAccepted, message.Kind);
        Assert.Equal(setup.OfficeEmail, message.To);
        Assert.Equal("Quote Q-0001 accepted by Jane Smith", message.Subject);
        var delivered = Assert.Single(fixture.Transport.AcceptedFor(setup.OfficeEmail));
        Assert.Equal(setup.ClientEmail, delivered.ReplyTo);

        // The project hearing about the same entries again enqueues nothing new. MailAbout answers once every
        // message it asked for is stored and listed for the project, so the list is final when it returns; the one
        // message it holds is the first, already sent.
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        await Grains.GetGrain<IActivityMailerGrain>(setup.ProjectId).MailAbout(await project.Get(), await project.GetActivity());
        var again = Assert.Single(await Grains.GetGrain<IProjectMailGrain>(setup.ProjectId).List(), m => m.Kind != MailKind.Quote);
        Assert.Equal((message.Id, MailStatus.Sent, 1), (again.Id, again.Status, again.Attempts));
        Assert.Single(fixture.Transport.AttemptsTo(setup.OfficeEmail));
    }

    [Fact]
    public async Task Declining_an_estimate_notifies_staff_with_the_reason()
    {
        var setup = await CreateAsync();
        var proposal = Grains.GetGrain<IProposalGrain>(Guid.NewGuid());
        await proposal.Create(Sample.CreateProposal(DocumentKind.Estimate, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), setup.ProjectId, setup.CompanyId, setup.ClientId, "E-0001"));
        await proposal.Send(SendOf(proposal.GetPrimaryKey(), setup, MailKind.Estimate));
        await proposal.Decline(new DeclineProposal(1, Sample.ClientActor(setup.ClientId), "Too dear"));

        var message = Assert.Single(await WaitForMessagesAsync(setup.ProjectId, 1));
        Assert.Equal(MailKind.ProposalDeclined, message.Kind);
        Assert.Equal("Estimate E-0001 declined by Jane Smith", message.Subject);
        Assert.Contains("Reason: Too dear", Assert.Single(fixture.Transport.AcceptedFor(setup.OfficeEmail)).TextBody);
    }

    [Fact]
    public async Task A_payment_recorded_by_staff_sends_the_client_a_receipt_and_staff_nothing()
    {
        var setup = await CreateAsync();
        var invoice = Grains.GetGrain<IInvoiceGrain>(Guid.NewGuid());
        await invoice.Create(Sample.CreateInvoice(setup.ProjectId, setup.CompanyId, setup.ClientId) with { Number = "INV-0001" });
        await invoice.Send(SendOf(invoice.GetPrimaryKey(), setup, MailKind.Invoice));
        await invoice.RecordManualPayment(Sample.Payment(20m));

        var message = Assert.Single(await WaitForMessagesAsync(setup.ProjectId, 1));
        Assert.Equal(MailKind.PaymentReceipt, message.Kind);
        Assert.Equal(setup.ClientEmail, message.To);
        Assert.Equal("Payment received for invoice INV-0001", message.Subject);
        Assert.Contains("£20.00", Assert.Single(fixture.Transport.AcceptedFor(setup.ClientEmail)).TextBody);
        Assert.Empty(fixture.Transport.AttemptsTo(setup.OfficeEmail));
    }

    [Fact]
    public async Task A_payment_from_outside_staff_also_tells_staff()
    {
        var setup = await CreateAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        await project.RecordActivity(new ActivityInput(Guid.NewGuid(), ActivityTypes.PaymentSucceeded, DateTimeOffset.UtcNow, Actor.System, Guid.NewGuid(), "INV-0009", DocumentKind.Invoice, 99.5m, "GBP", "Card"));

        var messages = await WaitForMessagesAsync(setup.ProjectId, 2);
        Assert.Equal([MailKind.PaymentReceipt, MailKind.InvoicePaid], messages.Select(m => m.Kind).Order());
        Assert.Equal("Payment of £99.50 received for INV-0009", Assert.Single(fixture.Transport.AcceptedFor(setup.OfficeEmail)).Subject);
    }
}
