namespace Portal.Web.Payments;

/// <summary>Which ledger rows a client sees, and whether a payment of theirs is on its way.</summary>
public static class ClientPayments
{
    /// <summary>
    /// Everything except card checkouts that never got as far as a payment (opened and abandoned, or expired):
    /// the client did not pay anything there. The checkout the client has just come back from is shown.
    /// </summary>
    public static bool Shown(PaymentView payment, string? returnedSession = null) =>
        payment.Method != PaymentMethod.Card
        || payment.ExternalId is not null
        || (returnedSession is not null && payment.CheckoutSessionId == returnedSession && payment.Status != PaymentStatus.Failed);

    /// <summary>A card payment the provider has not confirmed yet.</summary>
    public static bool Processing(PaymentView payment, string? returnedSession = null) =>
        payment.Method == PaymentMethod.Card && payment.Status == PaymentStatus.Pending && Shown(payment, returnedSession);
}

/// <summary>How payment methods read on portal pages.</summary>
public static class PaymentLabels
{
    public static string Method(PaymentMethod method) => method switch
    {
        PaymentMethod.BankTransfer => "Bank transfer",
        PaymentMethod.Card => "Card",
        PaymentMethod.Cash => "Cash",
        _ => "Other",
    };
}
