using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Payments;
using Portal.Silo.Configuration;
using Stripe;
using Stripe.Checkout;

namespace Portal.Silo.Payments;

/// <summary>
/// Expires Stripe Checkout Sessions (<c>POST /v1/checkout/sessions/{id}/expire</c>). Stripe refuses to expire a
/// session that is not open; the session is then read to tell "already complete or expired" (done) from a refusal
/// worth another try.
/// </summary>
public sealed class StripeCheckoutSessions(IOptions<PortalOptions> options, ILogger<StripeCheckoutSessions> logger) : ICheckoutSessions
{
    private readonly Lazy<SessionService> _sessions = new(() => new SessionService(StripeClients.Create(options.Value.Stripe)));

    public async Task<CheckoutExpiryOutcome> ExpireAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        try
        {
            await _sessions.Value.ExpireAsync(sessionId, cancellationToken: cancellationToken);
            return CheckoutExpiryOutcome.Expired;
        }
        catch (StripeException refused) when (refused.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return CheckoutExpiryOutcome.NotOpen;
        }
        catch (StripeException refused) when (refused.HttpStatusCode == HttpStatusCode.BadRequest)
        {
            var session = await _sessions.Value.GetAsync(sessionId, cancellationToken: cancellationToken);
            if (session.Status is "complete" or "expired")
            {
                return CheckoutExpiryOutcome.NotOpen;
            }
            logger.LogWarning("Stripe refused to expire open checkout {SessionId}: {Reason}", sessionId, refused.StripeError?.Message ?? refused.Message);
            return CheckoutExpiryOutcome.Failed;
        }
    }
}
