namespace Portal.Tests.Grains;

[Collection(ClusterCollection.Name)]
public class ConcurrencyTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task Twenty_concurrent_accepts_of_one_quote_let_exactly_one_through()
    {
        var setup = await CreateProjectAsync();
        var proposal = await CreateSentProposalAsync(setup);

        var attempts = Enumerable.Range(0, 20).Select(i => Attempt(() => proposal.Accept(Sample.Accept(signature: Sample.Typed($"Signer {i}")))));
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal("proposal.not_open", o!.Code));
        Assert.Equal(ProposalStatus.Accepted, (await proposal.Get()).Status);
    }

    [Fact]
    public async Task Twenty_concurrent_payments_of_the_full_balance_apply_exactly_one()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var balance = (await invoice.Get()).Balance;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Attempt(() => invoice.RecordManualPayment(Sample.Payment(balance)))));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal("invoice.not_payable", o!.Code));
        var view = await invoice.Get();
        Assert.Single(view.Payments);
        Assert.Equal(InvoiceStatus.Paid, view.Status);
        Assert.Equal(0m, view.Balance);
    }

    [Fact]
    public async Task The_same_payment_id_ten_times_at_once_is_applied_once()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var payment = Sample.Payment(30m);

        var views = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => invoice.RecordManualPayment(payment)));

        Assert.All(views, v => Assert.Single(v.Payments));
        var view = await invoice.Get();
        Assert.Equal(payment.PaymentId, Assert.Single(view.Payments).Id);
        Assert.Equal(90m, view.Balance);
        Assert.Equal(InvoiceStatus.PartiallyPaid, view.Status);
    }

    [Fact]
    public async Task A_payment_above_the_balance_is_refused_across_the_grain_boundary()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        await Refuse.WithAsync("invoice.overpayment", RuleKind.Conflict, () => invoice.RecordManualPayment(Sample.Payment(120.01m)));
        await Refuse.WithAsync("validation.amount", RuleKind.Invalid, () => invoice.RecordManualPayment(Sample.Payment(0m)));
        Assert.Empty((await invoice.Get()).Payments);
    }

    private static async Task<PortalRuleViolation?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (PortalRuleViolation violation)
        {
            return violation;
        }
    }
}
