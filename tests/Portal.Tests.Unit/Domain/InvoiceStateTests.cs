using Portal.Domain;

namespace Portal.Tests.Domain;

public class InvoiceStateTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    [Fact]
    public void Creating_an_invoice_prices_it_as_a_draft_with_the_full_balance()
    {
        var state = new InvoiceState();
        state.Create(Sample.CreateInvoice(), Now);
        var view = state.ToView(Guid.NewGuid());

        Assert.Equal(InvoiceStatus.Draft, view.Status);
        Assert.Equal(120m, view.Totals.Total);
        Assert.Equal(120m, view.Balance);
        Assert.Equal(0m, view.AmountPaid);
    }

    [Fact]
    public void Creating_twice_is_refused()
    {
        var state = Sample.SentInvoice();
        Refuse.Unchanged(state, "invoice.exists", RuleKind.Conflict, () => state.Create(Sample.CreateInvoice(), Now));
    }

    [Fact]
    public void Creating_without_a_due_date_is_refused()
    {
        var state = new InvoiceState();
        Refuse.Unchanged(state, "validation.due_date", RuleKind.Invalid, () => state.Create(Sample.CreateInvoice() with { DueDate = default }, Now));
    }

    [Fact]
    public void Creating_with_invalid_lines_is_refused()
    {
        var state = new InvoiceState();
        Refuse.Unchanged(state, "validation.lines", RuleKind.Invalid,
            () => state.Create(Sample.CreateInvoice(lines: [new LineInput("x", 1m, 1m, 101m)]), Now));
    }

    [Fact]
    public void An_invoice_never_created_is_not_found()
    {
        Refuse.With("invoice.not_found", RuleKind.NotFound, () => new InvoiceState().ToView(Guid.NewGuid()));
    }

    [Fact]
    public void Sending_a_draft_makes_it_sent()
    {
        var state = Sample.SentInvoice();
        Assert.Equal(InvoiceStatus.Sent, state.Status);
        Assert.Equal(Now, state.SentAt);
    }

    [Fact]
    public void Sending_twice_is_refused()
    {
        var state = Sample.SentInvoice();
        Refuse.Unchanged(state, "invoice.not_sendable", RuleKind.Conflict, () => state.Send(Now));
    }

    [Fact]
    public void The_first_view_marks_it_viewed_and_later_views_change_nothing()
    {
        var state = Sample.SentInvoice();
        Assert.True(state.MarkViewed(Sample.ClientActor(), Now));
        Assert.Equal(InvoiceStatus.Viewed, state.Status);
        Assert.False(state.MarkViewed(Sample.Staff(), Now.AddHours(1)));
        Assert.Equal("Jane Smith", state.FirstViewed!.By.Name);
    }

    [Fact]
    public void Viewing_a_draft_changes_nothing()
    {
        var state = new InvoiceState();
        state.Create(Sample.CreateInvoice(), Now);
        Assert.False(state.MarkViewed(Sample.ClientActor(), Now));
    }

    [Fact]
    public void A_part_payment_makes_it_partially_paid_and_lowers_the_balance()
    {
        var state = Sample.SentInvoice();
        Assert.True(state.RecordManualPayment(Sample.Payment(20m), Now));

        Assert.Equal(InvoiceStatus.PartiallyPaid, state.Status);
        Assert.Equal(20m, state.AmountPaid);
        Assert.Equal(100m, state.Balance);
        var payment = Assert.Single(state.Payments);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal("GBP", payment.Currency);
        Assert.Equal(Now, payment.RecordedAt);
    }

    [Fact]
    public void Paying_the_balance_makes_it_paid()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(20m), Now);
        state.RecordManualPayment(Sample.Payment(100m), Now);

        Assert.Equal(InvoiceStatus.Paid, state.Status);
        Assert.Equal(0m, state.Balance);
    }

    [Fact]
    public void A_viewed_invoice_takes_payments()
    {
        var state = Sample.SentInvoice();
        state.MarkViewed(Sample.ClientActor(), Now);
        state.RecordManualPayment(Sample.Payment(120m), Now);
        Assert.Equal(InvoiceStatus.Paid, state.Status);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void The_same_payment_id_for_a_different_payment_is_refused_and_changes_nothing()
    {
        var state = Sample.SentInvoice();
        var first = Sample.Payment(50m) with { Reference = "BT 1" };
        Assert.True(state.RecordManualPayment(first, Now));

        foreach (var different in new[]
        {
            first with { Amount = 40m },
            first with { Method = PaymentMethod.Other },
            first with { Reference = "BT 2" },
            first with { ReceivedOn = new DateOnly(2026, 6, 1) },
        })
        {
            Refuse.Unchanged(state, RuleCodes.InvoiceIdempotencyMismatch, RuleKind.Conflict, () => state.RecordManualPayment(different, Now));
        }
        // The same payment again, its reference spaced differently, is the retry it looks like.
        Assert.False(state.RecordManualPayment(first with { Reference = " BT 1 " }, Now));
        Assert.Equal(70m, state.Balance);
    }

    [Fact]
    public void The_same_payment_id_twice_is_recorded_once()
    {
        var state = Sample.SentInvoice();
        var id = Guid.NewGuid();
        Assert.True(state.RecordManualPayment(Sample.Payment(50m, id), Now));
        Assert.False(state.RecordManualPayment(Sample.Payment(50m, id), Now));

        Assert.Single(state.Payments);
        Assert.Equal(70m, state.Balance);
    }

    [Fact]
    public void Repeating_the_payment_that_paid_the_invoice_is_not_an_error()
    {
        var state = Sample.SentInvoice();
        var id = Guid.NewGuid();
        state.RecordManualPayment(Sample.Payment(120m, id), Now);
        Assert.False(state.RecordManualPayment(Sample.Payment(120m, id), Now));
        Assert.Equal(InvoiceStatus.Paid, state.Status);
    }

    [Fact]
    public void Paying_more_than_the_balance_is_refused()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(100m), Now);
        Refuse.Unchanged(state, "invoice.overpayment", RuleKind.Conflict, () => state.RecordManualPayment(Sample.Payment(20.01m), Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(0.001)]
    public void A_zero_negative_or_sub_penny_amount_is_refused(decimal amount)
    {
        var state = Sample.SentInvoice();
        Refuse.Unchanged(state, "validation.amount", RuleKind.Invalid, () => state.RecordManualPayment(Sample.Payment(amount), Now));
    }

    [Fact]
    public void A_manual_card_payment_is_refused()
    {
        var state = Sample.SentInvoice();
        Refuse.Unchanged(state, "validation.payment_method", RuleKind.Invalid,
            () => state.RecordManualPayment(Sample.Payment(10m) with { Method = PaymentMethod.Card }, Now));
    }

    [Fact]
    public void Paying_a_draft_is_refused()
    {
        var state = new InvoiceState();
        state.Create(Sample.CreateInvoice(), Now);
        Refuse.Unchanged(state, "invoice.not_payable", RuleKind.Conflict, () => state.RecordManualPayment(Sample.Payment(10m), Now));
    }

    [Fact]
    public void Paying_a_void_invoice_is_refused()
    {
        var state = Sample.SentInvoice();
        state.Void(Now);
        Refuse.Unchanged(state, "invoice.not_payable", RuleKind.Conflict, () => state.RecordManualPayment(Sample.Payment(10m), Now));
    }

    [Fact]
    public void Paying_a_paid_invoice_with_a_new_payment_is_refused()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(120m), Now);
        Refuse.Unchanged(state, "invoice.not_payable", RuleKind.Conflict, () => state.RecordManualPayment(Sample.Payment(1m), Now));
    }

    [Theory]
    [InlineData(InvoiceStatus.Draft)]
    [InlineData(InvoiceStatus.Sent)]
    [InlineData(InvoiceStatus.Viewed)]
    public void Voiding_an_unpaid_invoice_is_allowed(InvoiceStatus from)
    {
        var state = new InvoiceState();
        state.Create(Sample.CreateInvoice(), Now);
        if (from != InvoiceStatus.Draft) state.Send(Now);
        if (from == InvoiceStatus.Viewed) state.MarkViewed(Sample.ClientActor(), Now);

        state.Void(Now);
        Assert.Equal(InvoiceStatus.Void, state.Status);
        Assert.Equal(Now, state.VoidedAt);
    }

    [Fact]
    public void Voiding_a_partially_paid_invoice_is_refused()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(10m), Now);
        Refuse.Unchanged(state, "invoice.not_voidable", RuleKind.Conflict, () => state.Void(Now));
    }

    [Fact]
    public void Voiding_a_paid_invoice_is_refused()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(120m), Now);
        Refuse.Unchanged(state, "invoice.not_voidable", RuleKind.Conflict, () => state.Void(Now));
    }

    [Fact]
    public void Voiding_twice_is_refused()
    {
        var state = Sample.SentInvoice();
        state.Void(Now);
        Refuse.Unchanged(state, "invoice.not_voidable", RuleKind.Conflict, () => state.Void(Now));
    }

    [Fact]
    public void Refunds_are_added_back_to_the_balance()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(120m), Now);
        state.Payments[0].Status = PaymentStatus.Refunded;
        state.Payments[0].RefundedAmount = 20m;

        Assert.Equal(100m, state.AmountPaid);
        Assert.Equal(20m, state.Balance);
    }

    [Fact]
    public void Failed_and_pending_payments_do_not_count()
    {
        var state = Sample.SentInvoice();
        state.Payments.Add(new PaymentEntry { Id = Guid.NewGuid(), Amount = 50m, Status = PaymentStatus.Failed });
        state.Payments.Add(new PaymentEntry { Id = Guid.NewGuid(), Amount = 50m, Status = PaymentStatus.Pending });
        Assert.Equal(120m, state.Balance);
    }

    [Fact]
    public void The_summary_carries_status_balance_and_payments()
    {
        var state = Sample.SentInvoice();
        state.RecordManualPayment(Sample.Payment(20m), Now);
        var summary = state.ToSummary(Guid.NewGuid());
        Assert.Equal(InvoiceStatus.PartiallyPaid, summary.Status);
        Assert.Equal(100m, summary.Balance);
        Assert.Single(summary.Payments);
    }
}
