using Portal.Silo.Configuration;
using Stripe;

namespace Portal.Silo.Payments;

/// <summary>The one way Portal builds its Stripe client: the secret key, and the API base a local fake replaces.</summary>
public static class StripeClients
{
    public static StripeClient Create(StripeOptions stripe)
    {
        ArgumentNullException.ThrowIfNull(stripe);
        if (!stripe.CardPaymentsConfigured)
        {
            throw new InvalidOperationException("Card payments are off: Portal:Stripe:SecretKey is not set.");
        }
        return string.IsNullOrWhiteSpace(stripe.ApiBase)
            ? new StripeClient(stripe.SecretKey)
            : new StripeClient(stripe.SecretKey, apiBase: stripe.ApiBase.TrimEnd('/'));
    }
}
