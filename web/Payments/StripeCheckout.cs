using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Stripe;
using Stripe.Checkout;

namespace Portal.Web.Payments;

/// <summary>What a card checkout is for: the invoice, the amount due, and where Stripe sends the client back.</summary>
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
    string CancelUrl);

public sealed record CardCheckoutSession(string Id, string Url);

/// <summary>Creates Stripe Checkout Sessions for invoices. Off (and never called) without a secret key.</summary>
public sealed class StripeCheckout(IOptions<PortalOptions> options)
{
    public const string InvoiceIdKey = "invoice_id";
    public const string ProjectIdKey = "project_id";
    public const string CompanyIdKey = "company_id";

    private readonly Lazy<StripeClient> _client = new(() => CreateClient(options.Value.Stripe));

    /// <summary>True when <c>Portal:Stripe:SecretKey</c> is set; the company still decides whether it takes cards.</summary>
    public bool Configured => options.Value.Stripe.CardPaymentsConfigured;

    private static StripeClient CreateClient(StripeOptions stripe)
    {
        if (!stripe.CardPaymentsConfigured)
        {
            throw new InvalidOperationException("Card payments are off: Portal:Stripe:SecretKey is not set.");
        }
        return string.IsNullOrWhiteSpace(stripe.ApiBase)
            ? new StripeClient(stripe.SecretKey)
            : new StripeClient(stripe.SecretKey, apiBase: stripe.ApiBase.TrimEnd('/'));
    }

    /// <summary>
    /// Creates the session for one payment attempt. The idempotency key names the attempt and the amount, so a
    /// retried request (network failure, double click) gets the same session back instead of a second one.
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
        };
        var requestOptions = new RequestOptions
        {
            IdempotencyKey = $"portal-checkout-{request.InvoiceId:N}-{request.AttemptId:N}-{amount}",
        };
        var session = await new SessionService(_client.Value).CreateAsync(create, requestOptions, cancellationToken);
        if (string.IsNullOrEmpty(session.Id) || string.IsNullOrEmpty(session.Url))
        {
            throw new InvalidOperationException("Stripe answered the checkout request without a session id or URL.");
        }
        return new CardCheckoutSession(session.Id, session.Url);
    }
}
