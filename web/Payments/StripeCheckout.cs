using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Silo.Payments;
using Stripe;
using Stripe.Checkout;

namespace Portal.Web.Payments;

/// <summary>
/// What a card checkout is for: the invoice, the amount due, where Stripe sends the client back, and when Stripe stops
/// taking payment on it. <see cref="AttemptId"/> becomes the ledger entry's id, echoed back in the payment's metadata.
/// </summary>
public sealed record CardCheckoutRequest(
    Guid AttemptId,
    Guid InvoiceId,
    Guid ProjectId,
    Guid CompanyId,
    string InvoiceNumber,
    decimal Amount,
    string Currency,
    string? CustomerEmail,
    string SuccessUrl,
    string CancelUrl,
    DateTimeOffset ExpiresAt);

public sealed record CardCheckoutSession(string Id, string Url, DateTimeOffset ExpiresAt);

/// <summary>Creates Stripe Checkout Sessions for invoices. Off (and never called) without a secret key.</summary>
public sealed class StripeCheckout(IOptions<PortalOptions> options)
{
    public const string InvoiceIdKey = "invoice_id";
    public const string ProjectIdKey = "project_id";
    public const string CompanyIdKey = "company_id";

    /// <summary>The ledger entry the checkout was started as; payment intent events name no session, so this is how they find it.</summary>
    public const string PaymentIdKey = "payment_id";

    private readonly Lazy<StripeClient> _client = new(() => StripeClients.Create(options.Value.Stripe));

    /// <summary>True when <c>Portal:Stripe:SecretKey</c> is set; the company still decides whether it takes cards.</summary>
    public bool Configured => options.Value.Stripe.CardPaymentsConfigured;

    /// <summary>
    /// When a checkout started now stops taking payment: <c>Portal:Stripe:CheckoutLifetime</c> from now, rounded down to
    /// the minute so that a repeated request within the minute sends Stripe the same parameters.
    /// </summary>
    public DateTimeOffset ExpiryFor(DateTimeOffset now)
    {
        var at = now + options.Value.Stripe.CheckoutLifetime;
        return new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>
    /// Creates the session for one payment attempt. The idempotency key names the attempt, the amount and the expiry,
    /// so a retried request (network failure, double click) gets the same session back instead of a second one.
    /// </summary>
    public async Task<CardCheckoutSession> CreateSessionAsync(CardCheckoutRequest request, CancellationToken cancellationToken)
    {
        var currency = request.Currency.ToLowerInvariant();
        var amount = MinorUnits.FromMajor(request.Amount, request.Currency);
        var metadata = new Dictionary<string, string>
        {
            [InvoiceIdKey] = request.InvoiceId.ToString(),
            [ProjectIdKey] = request.ProjectId.ToString(),
            [CompanyIdKey] = request.CompanyId.ToString(),
            [PaymentIdKey] = request.AttemptId.ToString(),
        };
        var description = $"Invoice {request.InvoiceNumber}";
        var create = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = request.InvoiceId.ToString(),
            CustomerEmail = request.CustomerEmail,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = currency,
                        UnitAmount = amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = description },
                    },
                },
            ],
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                Description = description,
                Metadata = new Dictionary<string, string>(metadata),
            },
            SuccessUrl = request.SuccessUrl,
            CancelUrl = request.CancelUrl,
            ExpiresAt = request.ExpiresAt.UtcDateTime,
        };
        var requestOptions = new RequestOptions
        {
            IdempotencyKey = $"portal-checkout-{request.InvoiceId:N}-{request.AttemptId:N}-{amount}-{request.ExpiresAt.ToUnixTimeSeconds()}",
        };
        var session = await new SessionService(_client.Value).CreateAsync(create, requestOptions, cancellationToken);
        if (string.IsNullOrEmpty(session.Id) || string.IsNullOrEmpty(session.Url))
        {
            throw new InvalidOperationException("Stripe answered the checkout request without a session id or URL.");
        }
        // Stripe's own expiry when it states one (it is what Stripe enforces), else the one asked for.
        var expiresAt = session.ExpiresAt > DateTime.UnixEpoch ? new DateTimeOffset(DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc)) : request.ExpiresAt;
        return new CardCheckoutSession(session.Id, session.Url, expiresAt);
    }
}
