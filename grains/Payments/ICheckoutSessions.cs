namespace Portal.Payments;

/// <summary>What the payment provider said to a request to expire a checkout.</summary>
public enum CheckoutExpiryOutcome
{
    /// <summary>The checkout was open and is now expired: nobody can pay through it any more.</summary>
    Expired = 0,

    /// <summary>The checkout was already complete, expired or unknown: nothing left to do.</summary>
    NotOpen = 1,

    /// <summary>The provider could not be reached or answered with an error worth another try.</summary>
    Failed = 2,
}

/// <summary>
/// Closes card checkouts at the payment provider (Stripe Checkout). Registered by the silo when card payments are
/// configured; a silo without it cannot expire checkouts, which then lapse at their own expiry.
/// </summary>
public interface ICheckoutSessions
{
    Task<CheckoutExpiryOutcome> ExpireAsync(string sessionId, CancellationToken cancellationToken);
}
