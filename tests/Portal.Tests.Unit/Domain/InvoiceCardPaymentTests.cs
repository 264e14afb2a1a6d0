using Portal.Domain;

namespace Portal.Tests.Domain;

/// <summary>Card payments on the ledger: checkouts, and provider events repeated, reordered and refunded.</summary>
public class InvoiceCardPaymentTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    // Sample invoices total £120.00.
    private static InvoiceState Viewed()
    {
        var state = Sample.SentInvoice();
        state.MarkViewed(Sample.ClientActor(), Now);
        return state;
    }

    private static readonly DateTimeOffset CheckoutExpiry = Now.AddMinutes(45);

    private static StartCardPayment Checkout(string session = "cs_test_1", decimal amount = 120m, Guid? paymentId = null, DateTimeOffset? expiresAt = null) =>
        new(paymentId ?? Guid.NewGuid(), session, amount, "GBP", Sample.ClientActor(), $"https://checkout.example/{session}", expiresAt ?? CheckoutExpiry);

    private static CardPaymentEvent Event(
        string id, CardPaymentEventKind kind, string? intent = "pi_1", string? session = null, decimal amount = 120m,
        decimal refunded = 0m, string currency = "gbp", string? reason = null) =>
        new(id, kind, intent, session, amount, currency, refunded, reason);

    [Fact]
    public void Starting_a_checkout_records_a_pending_card_payment_that_does_not_count_as_paid()
    {
        var state = Viewed();

        Assert.True(state.StartCardPayment(Checkout(), Now));
        Assert.False(state.StartCardPayment(Checkout(), Now));

        var payment = Assert.Single(state.Payments);
        Assert.Equal((PaymentMethod.Card, PaymentStatus.Pending, 120m, "cs_test_1"), (payment.Method, payment.Status, payment.Amount, payment.CheckoutSessionId));
        Assert.Equal(0m, state.AmountPaid);
        Assert.Equal(InvoiceStatus.Viewed, state.Status);
    }

    [Fact]
    public void A_new_checkout_replaces_earlier_attempts_that_never_reached_payment_and_expires_them()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_abandoned"), Now);

        // Too close to its expiry to send anyone there any more.
        var later = CheckoutExpiry - InvoiceRules.CheckoutReuseMargin;
        state.StartCardPayment(Checkout("cs_second", expiresAt: later.AddMinutes(45)), later);

        Assert.Equal("cs_second", Assert.Single(state.Payments).CheckoutSessionId);
        Assert.Equal("cs_second", state.Checkout?.SessionId);
        Assert.Equal(["cs_abandoned"], state.CheckoutsToExpire.Select(c => c.SessionId));
    }

    [Fact]
    public void A_checkout_above_the_balance_or_on_a_paid_invoice_is_refused()
    {
        var state = Viewed();
        Refuse.Unchanged(state, "invoice.overpayment", RuleKind.Conflict, () => state.StartCardPayment(Checkout(amount: 120.01m), Now));
        state.RecordManualPayment(Sample.Payment(120m), Now);
        Refuse.Unchanged(state, "invoice.not_payable", RuleKind.Conflict, () => state.StartCardPayment(Checkout(), Now));
    }

    [Fact]
    public void A_checkout_is_refused_while_another_card_payment_is_processing()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);
        state.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Processing, "pi_1", "cs_1"), Now);

        Refuse.Unchanged(state, "invoice.payment_processing", RuleKind.Conflict, () => state.StartCardPayment(Checkout("cs_2"), Now));
    }

    [Fact]
    public void A_completed_checkout_pays_the_invoice_and_the_same_payment_under_another_event_changes_nothing()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);

        var completed = state.ApplyCardEvent(Event("evt_checkout", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);
        var intent = state.ApplyCardEvent(Event("evt_intent", CardPaymentEventKind.Succeeded, "pi_1"), Now);

        Assert.Equal(CardEventOutcome.Applied, completed.Outcome);
        Assert.Equal(ActivityTypes.PaymentSucceeded, Assert.Single(completed.Activity).Type);
        Assert.Equal(CardEventOutcome.Duplicate, intent.Outcome);
        var payment = Assert.Single(state.Payments);
        Assert.Equal((PaymentStatus.Succeeded, "pi_1"), (payment.Status, payment.ExternalId));
        Assert.Equal(120m, state.AmountPaid);
        Assert.Equal(InvoiceStatus.Paid, state.Status);
    }

    [Fact]
    public void A_repeated_event_is_recognised_by_its_id()
    {
        var state = Viewed();
        state.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Succeeded, amount: 50m), Now);

        var again = state.ApplyCardEvent(Event("evt_1", CardPaymentEventKind.Succeeded, amount: 50m), Now);

        Assert.Equal(CardEventOutcome.Duplicate, again.Outcome);
        Assert.Equal(50m, state.AmountPaid);
        Assert.Equal(InvoiceStatus.PartiallyPaid, state.Status);
        Assert.Equal(["evt_1"], state.ProcessedEventIds);
    }

    [Fact]
    public void A_failure_then_a_success_of_the_same_payment_ends_paid_once()
    {
        var state = Viewed();

        var failed = state.ApplyCardEvent(Event("evt_f", CardPaymentEventKind.Failed, reason: "Your card was declined."), Now);
        Assert.Equal(ActivityTypes.PaymentFailed, Assert.Single(failed.Activity).Type);
        Assert.Equal(PaymentStatus.Failed, Assert.Single(state.Payments).Status);
        Assert.Equal(InvoiceStatus.Viewed, state.Status);

        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded), Now);

        var payment = Assert.Single(state.Payments);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Null(payment.FailureReason);
        Assert.Equal(InvoiceStatus.Paid, state.Status);
    }

    [Fact]
    public void A_failure_reported_after_the_success_does_not_unpay_the_invoice()
    {
        var state = Viewed();
        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded), Now);

        var late = state.ApplyCardEvent(Event("evt_f", CardPaymentEventKind.Failed), Now);

        Assert.Equal(CardEventOutcome.Ignored, late.Outcome);
        Assert.Equal(PaymentStatus.Succeeded, Assert.Single(state.Payments).Status);
        Assert.Equal(InvoiceStatus.Paid, state.Status);
    }

    [Fact]
    public void A_partial_refund_lowers_the_paid_total_and_a_full_refund_reopens_the_invoice()
    {
        var state = Viewed();
        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded), Now);

        var partial = state.ApplyCardEvent(Event("evt_r1", CardPaymentEventKind.Refunded, refunded: 20m), Now);
        Assert.Equal((ActivityTypes.PaymentRefunded, 20m), (Assert.Single(partial.Activity).Type, partial.Activity[0].Amount));
        Assert.Equal(100m, state.AmountPaid);
        Assert.Equal(20m, state.Balance);
        Assert.Equal(InvoiceStatus.PartiallyPaid, state.Status);
        Assert.Equal(PaymentStatus.Succeeded, state.Payments[0].Status);

        state.ApplyCardEvent(Event("evt_r2", CardPaymentEventKind.Refunded, refunded: 120m), Now);
        Assert.Equal(0m, state.AmountPaid);
        Assert.Equal(PaymentStatus.Refunded, state.Payments[0].Status);
        Assert.Equal(120m, state.Payments[0].RefundedAmount);
        Assert.Equal(InvoiceStatus.Viewed, state.Status);
    }

    [Fact]
    public void Refunds_count_by_their_running_total_so_late_and_repeated_ones_change_nothing()
    {
        var state = Viewed();
        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded), Now);
        state.ApplyCardEvent(Event("evt_r2", CardPaymentEventKind.Refunded, refunded: 50m), Now);

        var late = state.ApplyCardEvent(Event("evt_r1", CardPaymentEventKind.Refunded, refunded: 30m), Now);

        Assert.Equal(CardEventOutcome.Duplicate, late.Outcome);
        Assert.Equal(50m, state.Payments[0].RefundedAmount);
        Assert.Equal(70m, state.AmountPaid);
    }

    [Fact]
    public void A_refund_that_arrives_before_the_success_records_both()
    {
        var state = Viewed();

        var refund = state.ApplyCardEvent(Event("evt_r", CardPaymentEventKind.Refunded, refunded: 20m), Now);
        var success = state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded), Now);

        Assert.Equal([ActivityTypes.PaymentSucceeded, ActivityTypes.PaymentRefunded], refund.Activity.Select(a => a.Type));
        Assert.Equal(CardEventOutcome.Duplicate, success.Outcome);
        Assert.Equal(100m, state.AmountPaid);
        Assert.Equal(InvoiceStatus.PartiallyPaid, state.Status);
    }

    [Fact]
    public void A_card_payment_above_the_balance_is_recorded_but_only_the_balance_counts_and_the_rest_is_due_back()
    {
        var state = Viewed();
        state.RecordManualPayment(Sample.Payment(100m), Now);

        var effect = state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded, amount: 120m), Now);

        Assert.Equal(CardEventOutcome.Applied, effect.Outcome);
        Assert.Equal([(ActivityTypes.PaymentSucceeded, 20m), (ActivityTypes.PaymentRefundDue, 100m)], effect.Activity.Select(a => (a.Type, a.Amount)));
        Assert.Contains("more than the balance", effect.Activity[1].Detail);
        Assert.Equal((120m, 0m, 100m), (state.AmountPaid, state.Balance, state.RefundDue));
        Assert.Equal(120m, state.Payments[1].Amount);
        Assert.Equal(InvoiceStatus.Paid, state.Status);
    }

    [Fact]
    public void An_event_in_another_currency_is_ignored()
    {
        var state = Viewed();

        var effect = state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded, currency: "eur"), Now);

        Assert.Equal(CardEventOutcome.Ignored, effect.Outcome);
        Assert.Empty(state.Payments);
        Assert.Empty(state.ProcessedEventIds);
    }

    [Fact]
    public void An_expired_checkout_is_no_longer_pending_but_a_later_success_still_counts()
    {
        var state = Viewed();
        state.StartCardPayment(Checkout("cs_1"), Now);

        state.ApplyCardEvent(Event("evt_x", CardPaymentEventKind.Expired, null, "cs_1"), Now);
        Assert.Equal(PaymentStatus.Failed, state.Payments[0].Status);

        state.ApplyCardEvent(Event("evt_s", CardPaymentEventKind.Succeeded, "pi_1", "cs_1"), Now);
        Assert.Equal(InvoiceStatus.Paid, state.Status);
        Assert.Single(state.Payments);
    }

    [Fact]
    public void Processed_event_ids_are_bounded()
    {
        var state = Viewed();
        for (var i = 0; i < InvoiceState.ProcessedEventLimit + 10; i++)
        {
            state.ApplyCardEvent(Event($"evt_{i}", CardPaymentEventKind.Failed, $"pi_{i}", amount: 1m), Now);
        }

        Assert.Equal(InvoiceState.ProcessedEventLimit, state.ProcessedEventIds.Count);
        Assert.Equal("evt_10", state.ProcessedEventIds[0]);
    }

    [Fact]
    public void Partial_manual_payments_reach_paid_and_one_penny_more_is_refused()
    {
        var state = Viewed();
        state.RecordManualPayment(Sample.Payment(20m), Now);
        Assert.Equal(InvoiceStatus.PartiallyPaid, state.Status);
        state.RecordManualPayment(Sample.Payment(100m), Now);
        Assert.Equal(InvoiceStatus.Paid, state.Status);

        Refuse.Unchanged(state, "invoice.not_payable", RuleKind.Conflict, () => state.RecordManualPayment(Sample.Payment(0.01m), Now));
    }
}
