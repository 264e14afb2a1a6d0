using Portal.Tests.Cluster.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// Many concurrent transitions of one proposal or invoice, sent through the gateways of three different silo
/// processes at once: the single activation and the storage ETag together give exactly one acceptance and never a
/// payment applied twice. Proven against the stored rows, not assumed.
/// </summary>
public sealed class CrossSiloConcurrencyTests(ThreeSilosFixture fixture) : IClassFixture<ThreeSilosFixture>
{
    private const int CallsPerClient = 8;

    [PostgresFact]
    public async Task Concurrent_accepts_of_one_proposal_through_every_silo_accept_it_exactly_once()
    {
        var seed = await SeedProjectAsync(fixture.MembershipClient);
        var proposalId = Guid.NewGuid();
        var created = await fixture.MembershipClient.GetGrain<IProposalGrain>(proposalId).Create(new CreateProposal(
            seed.CompanyId, seed.ProjectId, seed.ClientId, DocumentKind.Quote, "Q-0001",
            DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), Lines, null, "GBP", "Europe/London", null));
        await fixture.MembershipClient.GetGrain<IProposalGrain>(proposalId).Send(SendOf(proposalId, seed, MailKind.Quote));

        var attempts = await RaceAsync(fixture.AllClients, (client, c, i) =>
            client.GetGrain<IProposalGrain>(proposalId).Accept(new AcceptProposal(
                created.DocumentVersion,
                new Actor(ActorKind.Client, seed.ClientId, $"Signer {c}-{i}", "client@example.com"),
                new SignatureInput(SignatureMethod.Typed, $"Signer {c}-{i}", null, "127.0.0.1", "cluster-test", null, 0, "I accept."), 0)));

        var winner = Assert.Single(attempts, a => a.Result is not null).Result!;
        Assert.All(attempts.Where(a => a.Result is null), a => Assert.Equal("proposal.not_open", Assert.IsType<PortalRuleViolation>(a.Error).Code));

        // Every silo's gateway sees the one acceptance, with the winner's evidence.
        foreach (var client in fixture.AllClients)
        {
            var view = await client.GetGrain<IProposalGrain>(proposalId).Get();
            Assert.Equal(ProposalStatus.Accepted, view.Status);
            Assert.Equal(winner.Acceptance!.SignerName, view.Acceptance!.SignerName);
        }

        // Stored exactly four times: created; sent (the Sent status with its pending email, then the send finished);
        // accepted once. A second acceptance would have been a fifth write.
        Assert.Equal([4], await fixture.Cluster.Database.ReadStateVersionsAsync("proposal"));
    }

    [PostgresFact]
    public async Task The_same_payment_sent_through_every_silo_at_once_is_recorded_once()
    {
        var invoiceId = await SentInvoiceAsync();
        var paymentId = Guid.NewGuid();

        var attempts = await RaceAsync(fixture.AllClients, (client, c, i) =>
            client.GetGrain<IInvoiceGrain>(invoiceId).RecordManualPayment(Payment(paymentId, 25m, "retry")));

        Assert.All(attempts, a => Assert.Null(a.Error));
        foreach (var client in fixture.AllClients)
        {
            var invoice = await client.GetGrain<IInvoiceGrain>(invoiceId).Get();
            Assert.Equal(25m, Assert.Single(invoice.Payments, p => p.Id == paymentId).Amount);
            Assert.Single(invoice.Payments);
            Assert.Equal(25m, invoice.AmountPaid);
            Assert.Equal(InvoiceStatus.PartiallyPaid, invoice.Status);
        }
    }

    [PostgresFact]
    public async Task Concurrent_distinct_payments_through_every_silo_never_exceed_the_invoice_total()
    {
        var invoiceId = await SentInvoiceAsync();

        // 4 clients × 8 payments of £10 = £320 offered against a £120 invoice.
        var attempts = await RaceAsync(fixture.AllClients, (client, c, i) =>
        {
            var command = Payment(Guid.NewGuid(), 10m, $"payment {c}-{i}");
            return client.GetGrain<IInvoiceGrain>(invoiceId).RecordManualPayment(command)
                .ContinueWith(t => t.IsCompletedSuccessfully ? (command.PaymentId, t.Result) : throw t.Exception!.InnerException!, TaskScheduler.Default);
        });

        var accepted = attempts.Where(a => a.Error is null).Select(a => a.Result.PaymentId).ToList();
        Assert.Equal(12, accepted.Count);
        Assert.All(attempts.Where(a => a.Error is not null), a =>
            Assert.Contains(Assert.IsType<PortalRuleViolation>(a.Error).Code, new[] { "invoice.overpayment", "invoice.not_payable" }));

        var invoice = await fixture.PinnedClients[2].GetGrain<IInvoiceGrain>(invoiceId).Get();
        Assert.Equal(120m, invoice.Totals.Total);
        Assert.Equal(120m, invoice.AmountPaid);
        Assert.Equal(0m, invoice.Balance);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal(accepted.Order(), invoice.Payments.Select(p => p.Id).Order());
    }

    private static readonly IReadOnlyList<LineInput> Lines = [new LineInput("Labour", 2m, 50m, 20m)];

    /// <summary>A send with a plain email and a link of its own (the web composes the real one).</summary>
    private static SendDocument SendOf(Guid documentId, (Guid CompanyId, Guid ClientId, Guid ProjectId) seed, MailKind kind)
    {
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var url = $"https://portal.example/p/{token}";
        var mail = new OutgoingMail(seed.CompanyId, seed.ProjectId, kind, new MailRecipient("jane@example.com", null), "Acme", null,
            "Your document", url, url, documentId);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        return new SendDocument(mail, url, hash, DateTimeOffset.UtcNow.AddDays(90));
    }

    private static RecordManualPayment Payment(Guid id, decimal amount, string reference) =>
        new(id, amount, PaymentMethod.BankTransfer, reference, null, new Actor(ActorKind.Staff, null, "Cluster test", null));

    private async Task<Guid> SentInvoiceAsync()
    {
        var seed = await SeedProjectAsync(fixture.MembershipClient);
        var invoiceId = Guid.NewGuid();
        var invoice = fixture.MembershipClient.GetGrain<IInvoiceGrain>(invoiceId);
        await invoice.Create(new CreateInvoice(seed.CompanyId, seed.ProjectId, seed.ClientId, "INV-0001",
            DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)), Lines, "GBP", "Europe/London"));
        await invoice.Send(SendOf(invoiceId, seed, MailKind.Invoice));
        return invoiceId;
    }

    private static async Task<(Guid CompanyId, Guid ClientId, Guid ProjectId)> SeedProjectAsync(IClusterClient client)
    {
        var companyId = Guid.NewGuid();
        var company = client.GetGrain<ICompanyGrain>(companyId);
        await company.Create("Cluster Test Ltd");
        var customer = await client.GetGrain<IClientGrain>(Guid.NewGuid()).Create(companyId, new ClientDetails("Jane Smith", "jane@example.com"));
        var project = await client.GetGrain<IProjectGrain>(Guid.NewGuid())
            .Create(new CreateProject(companyId, customer.Id, await company.AllocateProjectNumber(), "Roof", null));
        return (companyId, customer.Id, project.Id);
    }

    /// <summary>
    /// Starts <see cref="CallsPerClient"/> calls on every client, all released at once, and returns each call's
    /// result or error.
    /// </summary>
    private static async Task<IReadOnlyList<(T? Result, Exception? Error)>> RaceAsync<T>(
        IReadOnlyList<IClusterClient> clients, Func<IClusterClient, int, int, Task<T>> call)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = clients.SelectMany((client, c) => Enumerable.Range(0, CallsPerClient).Select(async i =>
        {
            await start.Task;
            try
            {
                return ((T?)await call(client, c, i), (Exception?)null);
            }
            catch (Exception error)
            {
                return (default(T), error);
            }
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(calls);
    }
}
