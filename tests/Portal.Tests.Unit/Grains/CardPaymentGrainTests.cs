namespace Portal.Tests.Grains;

/// <summary>Card payments through the invoice grain: stored, reported to the project with activity, and race-free.</summary>
[Collection(ClusterCollection.Name)]
public class CardPaymentGrainTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    private static CardPaymentEvent Succeeded(string eventId, string intent, decimal amount, string? session = null) =>
        new(eventId, CardPaymentEventKind.Succeeded, intent, session, amount, "gbp");

    [Fact]
    public async Task A_checkout_then_its_webhooks_pay_the_invoice_once_and_the_project_sees_payment_and_activity()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var client = Sample.ClientActor(setup.ClientId);

        await invoice.StartCardPayment(new StartCardPayment(Guid.NewGuid(), "cs_1", 120m, "GBP", client, "https://checkout.example/cs_1", DateTimeOffset.UtcNow.AddMinutes(45)));
        var pending = await Grains.GetGrain<IProjectGrain>(setup.ProjectId).Get();
        Assert.Equal(PaymentStatus.Pending, Assert.Single(Assert.Single(pending.Invoices).Payments).Status);

        var first = await invoice.ApplyCardEvent(Succeeded("evt_1", "pi_1", 120m, "cs_1"));
        var sameIntent = await invoice.ApplyCardEvent(Succeeded("evt_2", "pi_1", 120m));
        var sameEvent = await invoice.ApplyCardEvent(Succeeded("evt_1", "pi_1", 120m, "cs_1"));

        Assert.Equal(CardEventOutcome.Applied, first.Outcome);
        Assert.Equal(CardEventOutcome.Duplicate, sameIntent.Outcome);
        Assert.Equal(CardEventOutcome.Duplicate, sameEvent.Outcome);
        var view = await invoice.Get();
        Assert.Equal((InvoiceStatus.Paid, 120m, 0m), (view.Status, view.AmountPaid, view.Balance));

        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var summary = Assert.Single((await project.Get()).Invoices);
        Assert.Equal(InvoiceStatus.Paid, summary.Status);
        Assert.Equal(PaymentStatus.Succeeded, Assert.Single(summary.Payments).Status);
        var paid = Assert.Single(await project.GetActivity(), a => a.Type == ActivityTypes.PaymentSucceeded);
        Assert.Equal((120m, "GBP", "Jane Smith"), (paid.Amount, paid.Currency, paid.By.Name));
    }

    [Fact]
    public async Task A_refund_is_reported_as_activity_and_lowers_the_paid_total()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        await invoice.ApplyCardEvent(Succeeded("evt_s", "pi_9", 120m));

        var refunded = await invoice.ApplyCardEvent(new CardPaymentEvent("evt_r", CardPaymentEventKind.Refunded, "pi_9", null, 120m, "gbp", 45.5m));

        Assert.Equal((InvoiceStatus.PartiallyPaid, 74.5m), (refunded.Invoice.Status, refunded.Invoice.AmountPaid));
        var activity = await Grains.GetGrain<IProjectGrain>(setup.ProjectId).GetActivity();
        Assert.Equal(45.5m, Assert.Single(activity, a => a.Type == ActivityTypes.PaymentRefunded).Amount);
    }

    [Fact]
    public async Task Concurrent_webhook_deliveries_and_manual_payments_never_exceed_the_total_and_lose_nothing()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var manual = Sample.Payment(50m);

        // The same card payment delivered ten times under two events, the same manual payment retried ten times.
        var work = Enumerable.Range(0, 10).SelectMany(i => new Task[]
        {
            invoice.ApplyCardEvent(Succeeded(i % 2 == 0 ? "evt_a" : "evt_b", "pi_c", 70m)),
            invoice.RecordManualPayment(manual),
        });
        await Task.WhenAll(work);

        var view = await invoice.Get();
        Assert.Equal(2, view.Payments.Count);
        Assert.Equal((120m, 0m, InvoiceStatus.Paid), (view.AmountPaid, view.Balance, view.Status));
        await Refuse.WithAsync("invoice.not_payable", RuleKind.Conflict, () => invoice.RecordManualPayment(Sample.Payment(0.01m)));
        var activity = await Grains.GetGrain<IProjectGrain>(setup.ProjectId).GetActivity();
        Assert.Equal(2, activity.Count(a => a.Type == ActivityTypes.PaymentSucceeded));
    }
}
