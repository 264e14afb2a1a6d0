using Portal.Domain;

namespace Portal.Tests.Domain;

/// <summary>
/// One open checkout per invoice, withdrawn (and queued for expiry at the provider) whenever the invoice stops owing
/// exactly its amount; money arriving that the invoice does not owe is refund due, never paid; payment intent events
/// settle the entry of the checkout they belong to, in whatever order they come.
/// </summary>
[Trait("Category", "Security")]
public class InvoiceCheckoutTests
{
    private static readonly DateTimeOffset Now = Sample.Now;
    private static readonly DateTimeOffset Expiry = Now.AddMinutes(45);

    // Sample invoices total £120.00.
    private static InvoiceState Viewed()
    {
        var state = Sample.SentInvoice();
        state.MarkViewed(Sample.ClientActor(), Now);
        return state;
    }

    private static StartCardPayment Checkout(string session, decimal amount = 120m, Guid? paymentId = null, DateTimeOffset? expiresAt = null) =>
        new(paymentId ?? Guid.NewGuid(), session, amount, "GBP", Sample.ClientActor(), $"https://checkout.example/{session}", expiresAt ?? Expiry);

    private static CardPaymentEvent Event(
        string id, CardPaymentEventKind kind, string? intent = null, string? session = null, decimal amount = 120m, Guid? paymentId = null,
        decimal refunded = 0m, string? reason = null) =>
        new(id, kind, intent, session, amount, "gbp", refunded, reason, paymentId);

    private static IEnumerable<string> ToExpire(InvoiceState state) => state.CheckoutsToExpire.Select(c => c.SessionId);

    [Fact]
    public void A_second_tab_paying_the_same_balance_is_sent_to_the_open_checkout_and_its_own_is_withdrawn()
    {
        var state = Viewed();
        Assert.True(state.StartCardPayment(Checkout("cs_tab1"), Now));

        Assert.True(state.StartCardPayment(Checkout("cs_tab2"), Now.AddMinutes(1)));

        Assert.Equal(("cs_tab1", "https://checkout.example/cs_tab1", 120m, Expiry), (state.Checkout!.SessionId, state.Checkout.Url, state.Checkout.Amount, state.Checkout.ExpiresAt));
        Assert.Equal("cs_tab1", Assert.Single(state.Payments).CheckoutSessionId);
        Assert.Equal(["cs_tab2"], ToExpire(state));
        // The same request again changes nothing.
        Assert.False(state.StartCardPayment(Checkout("cs_tab2"), Now.AddMinutes(1)));
        Assert.Equal(state.Checkout.ToView(), InvoiceRules.ReusableCheckout(state.ToView(Guid.NewGuid()), Now.AddMinutes(2)));
    }

    [Fact]
    public void The_open_checkout_is_reused_only_for_the_same_balance_and_while_enough_of_it_is_left()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);
        var view = state.ToView(Guid.NewGuid());

        Assert.NotNull(InvoiceRules.ReusableCheckout(view, Expiry - InvoiceRules.CheckoutReuseMargin - TimeSpan.FromSeconds(1)));
        Assert.Null(InvoiceRules.ReusableCheckout(view, Expiry - InvoiceRules.CheckoutReuseMargin));
        Assert.Null(InvoiceRules.ReusableCheckout(view.OpenCheckout, 100m, Now));
    }

    [Fact]
    public void A_manual_payment_withdraws_the_open_checkout_for_expiry_and_a_new_one_charges_the_new_balance()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);

        state.RecordManualPayment(Sample.Payment(20m), Now);

        Assert.Null(state.Checkout);
        Assert.Equal(["cs_1"], ToExpire(state));
        Assert.True(state.StartCardPayment(Checkout("cs_2", amount: 100m), Now));
        Assert.Equal(("cs_2", 100m), (state.Checkout!.SessionId, state.Checkout.Amount));
    }

    [Fact]
    public void Voiding_withdraws_the_open_checkout_for_expiry()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);

        state.Void(Now);

        Assert.Null(state.Checkout);
        Assert.Equal(["cs_1"], ToExpire(state));
    }

    [Fact]
    public void A_checkout_paid_through_is_finished_not_expired_but_another_payment_withdraws_it()
    {
        var paidThrough = Viewed();
        paidThrough.StartCardPayment(Checkout("cs_1"), Now);
        paidThrough.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);
        Assert.Null(paidThrough.Checkout);
        Assert.Empty(paidThrough.CheckoutsToExpire);

        var paidElsewhere = Viewed();
        paidElsewhere.StartCardPayment(Checkout("cs_1"), Now);
        paidElsewhere.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Succeeded, "pi_other", amount: 50m), Now);
        Assert.Null(paidElsewhere.Checkout);
        Assert.Equal(["cs_1"], ToExpire(paidElsewhere));
    }

    [Fact]
    public void Checkouts_to_expire_leave_the_list_once_the_provider_closed_them_or_their_own_expiry_passed()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);
        state.RecordManualPayment(Sample.Payment(20m), Now);
        state.StartCardPayment(Checkout("cs_2", amount: 100m, expiresAt: Now.AddMinutes(50)), Now);
        state.RecordManualPayment(Sample.Payment(10m), Now);
        Assert.Equal(["cs_1", "cs_2"], ToExpire(state));

        Assert.True(state.CheckoutClosed("cs_2"));
        Assert.Equal(["cs_1"], state.CheckoutsDueForExpiry(Now).Select(c => c.SessionId));
        Assert.Empty(state.CheckoutsDueForExpiry(Expiry));
        Assert.Empty(state.CheckoutsToExpire);
    }

    [Fact]
    public void The_expired_event_of_a_withdrawn_checkout_closes_it()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);
        state.Void(Now);

        var expired = state.ApplyCardEvent(Event("evt_x", CardPaymentEventKind.Expired, session: "cs_1"), Now);

        Assert.Equal(CardEventOutcome.Applied, expired.Outcome);
        Assert.Empty(state.CheckoutsToExpire);
        Assert.Equal(PaymentStatus.Failed, Assert.Single(state.Payments).Status);
    }

    [Fact]
    public void A_payment_that_lands_on_a_void_invoice_is_refund_due_and_never_paid()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);
        state.Void(Now);

        var effect = state.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);

        Assert.Equal(CardEventOutcome.Applied, effect.Outcome);
        var activity = Assert.Single(effect.Activity);
        Assert.Equal((ActivityTypes.PaymentRefundDue, 120m), (activity.Type, activity.Amount));
        Assert.Contains("void", activity.Detail);
        Assert.Equal((InvoiceStatus.Void, 0m, 120m, 120m), (state.Status, state.AmountPaid, state.Balance, state.RefundDue));
        var view = state.ToView(Guid.NewGuid());
        Assert.Equal(120m, view.RefundDue);
        Assert.Equal((PaymentStatus.Succeeded, 120m), (view.Payments[0].Status, view.Payments[0].RefundDue));
    }

    [Fact]
    public void A_payment_that_lands_on_a_paid_invoice_is_refund_due_and_a_refund_settles_it_without_unpaying()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);
        state.RecordManualPayment(Sample.Payment(120m), Now);

        var effect = state.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);

        Assert.Equal([ActivityTypes.PaymentRefundDue], effect.Activity.Select(a => a.Type));
        Assert.Equal((InvoiceStatus.Paid, 120m, 120m), (state.Status, state.AmountPaid, state.RefundDue));

        state.ApplyCardEvent(Event("evt_r", CardPaymentEventKind.Refunded, "pi_1", refunded: 120m), Now);

        Assert.Equal((InvoiceStatus.Paid, 120m, 0m), (state.Status, state.AmountPaid, state.RefundDue));
        Assert.Equal(PaymentStatus.Refunded, state.Payments.Single(p => p.ExternalId == "pi_1").Status);
    }

    [Fact]
    public void A_card_declined_then_accepted_in_the_same_checkout_settles_the_checkouts_entry()
    {
        var state = Viewed();
        var paymentId = Guid.NewGuid();
        state.StartCardPayment(Checkout("cs_1", paymentId: paymentId), Now);

        var declined = state.ApplyCardEvent(Event("evt_f", CardPaymentEventKind.Failed, "pi_1", paymentId: paymentId, reason: "Your card was declined."), Now);
        Assert.Equal(ActivityTypes.PaymentFailed, Assert.Single(declined.Activity).Type);
        // The client may still try another card in the same checkout.
        Assert.Equal("cs_1", state.Checkout?.SessionId);

        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded, "pi_1", paymentId: paymentId), Now);
        var completed = state.ApplyCardEvent(Event("evt_c", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);

        Assert.Equal(CardEventOutcome.Duplicate, completed.Outcome);
        var payment = Assert.Single(state.Payments);
        Assert.Equal((paymentId, PaymentStatus.Succeeded, "pi_1", "cs_1"), (payment.Id, payment.Status, payment.ExternalId, payment.CheckoutSessionId));
        Assert.Equal((InvoiceStatus.Paid, 120m), (state.Status, state.AmountPaid));
        Assert.Null(state.Checkout);
        Assert.Empty(state.CheckoutsToExpire);
    }

    [Fact]
    public void The_success_delivered_before_the_earlier_decline_still_ends_paid_with_one_entry()
    {
        var state = Viewed();
        var paymentId = Guid.NewGuid();
        state.StartCardPayment(Checkout("cs_1", paymentId: paymentId), Now);

        state.ApplyCardEvent(Event("evt_c", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);
        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded, "pi_1", paymentId: paymentId), Now);
        var lateDecline = state.ApplyCardEvent(Event("evt_f", CardPaymentEventKind.Failed, "pi_1", paymentId: paymentId), Now);

        Assert.Equal(CardEventOutcome.Ignored, lateDecline.Outcome);
        var payment = Assert.Single(state.Payments);
        Assert.Equal((PaymentStatus.Succeeded, "pi_1"), (payment.Status, payment.ExternalId));
        Assert.Equal(InvoiceStatus.Paid, state.Status);
        Assert.DoesNotContain(state.Payments, p => p.Status == PaymentStatus.Pending);
    }
}
