namespace Portal.Domain;

/// <summary>
/// The invoice's card checkouts at the provider. At most one is open (<see cref="Checkout"/>): every "Pay by card" of
/// the same balance goes there, so two tabs cannot charge twice. A checkout the invoice no longer wants (the balance
/// changed, the invoice was paid or voided, another tab's checkout got in first) goes on
/// <see cref="CheckoutsToExpire"/> in the same stored change; the grain then asks the provider to expire it, after
/// its answer, until the provider confirms or the checkout's own expiry has passed.
/// </summary>
public sealed partial class InvoiceState
{
    public OpenCheckout? Checkout { get; set; }

    public List<CheckoutToExpire> CheckoutsToExpire { get; set; } = [];

    /// <summary>Checkouts still to expire at the provider; those past their own expiry are dropped (the provider closed them).</summary>
    public IReadOnlyList<CheckoutToExpire> CheckoutsDueForExpiry(DateTimeOffset now)
    {
        CheckoutsToExpire.RemoveAll(c => c.ExpiresAt <= now);
        return [.. CheckoutsToExpire];
    }

    /// <summary>The provider confirmed the checkout can no longer take money.</summary>
    public bool CheckoutClosed(string sessionId) =>
        CheckoutsToExpire.RemoveAll(c => string.Equals(c.SessionId, sessionId, StringComparison.Ordinal)) > 0;

    private bool IsCheckoutKnown(string sessionId) =>
        Checkout?.SessionId == sessionId
        || CheckoutsToExpire.Any(c => c.SessionId == sessionId)
        || Payments.Any(p => p.CheckoutSessionId == sessionId);

    private void ExpireLater(string sessionId, DateTimeOffset expiresAt)
    {
        if (!CheckoutsToExpire.Any(c => c.SessionId == sessionId))
        {
            CheckoutsToExpire.Add(new CheckoutToExpire { SessionId = sessionId, ExpiresAt = expiresAt });
        }
    }

    /// <summary>
    /// After every change to the money or the status: the open checkout must charge exactly the balance of an invoice
    /// that takes payments; otherwise it is withdrawn and expired at the provider.
    /// </summary>
    private void KeepCheckoutInStep()
    {
        if (Checkout is { } open && (!InvoiceRules.TakesPayments(Status) || open.Amount != Balance))
        {
            ExpireLater(open.SessionId, open.ExpiresAt);
            Checkout = null;
        }
    }

    /// <summary>The provider reports the open checkout finished (paid, processing, failed for good or expired): nothing to expire.</summary>
    private void CheckoutFinished(PaymentEntry? entry, CardPaymentEvent e)
    {
        if (Checkout is not { } open)
        {
            return;
        }
        var ownEvent = e.CheckoutSessionId == open.SessionId
            || (entry is not null && (entry.CheckoutSessionId == open.SessionId || entry.Id == open.PaymentId));
        // A declined card reported on the payment intent leaves the checkout open: the client may try another card.
        var sessionOver = e.Kind is not CardPaymentEventKind.Failed || e.CheckoutSessionId is not null;
        if (ownEvent && sessionOver)
        {
            Checkout = null;
        }
    }
}

/// <summary>The invoice's open checkout at the payment provider.</summary>
public sealed class OpenCheckout
{
    public string SessionId { get; set; } = "";
    public string Url { get; set; } = "";
    public decimal Amount { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The ledger entry the checkout was started as.</summary>
    public Guid PaymentId { get; set; }

    public OpenCheckoutView ToView() => new(SessionId, Url, Amount, ExpiresAt, PaymentId);
}

/// <summary>A checkout the invoice withdrew, to be expired at the provider before its own expiry.</summary>
public sealed class CheckoutToExpire
{
    public string SessionId { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}
