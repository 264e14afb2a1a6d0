using Stripe;
using Stripe.Checkout;

namespace Portal.Web.Payments;

/// <summary>A verified Stripe event translated into what the invoice grain understands, with the invoice it names.</summary>
public sealed record InvoicePaymentEvent(Guid? InvoiceId, Guid? CompanyId, CardPaymentEvent Event);

/// <summary>Reads the Stripe events Portal acts on; every other event type is acknowledged and ignored.</summary>
public static class StripeEvents
{
    public static readonly IReadOnlySet<string> Handled = new HashSet<string>(StringComparer.Ordinal)
    {
        EventTypes.CheckoutSessionCompleted,
        EventTypes.CheckoutSessionAsyncPaymentSucceeded,
        EventTypes.CheckoutSessionAsyncPaymentFailed,
        EventTypes.CheckoutSessionExpired,
        EventTypes.PaymentIntentSucceeded,
        EventTypes.PaymentIntentPaymentFailed,
        EventTypes.ChargeRefunded,
    };

    /// <summary>The event for the invoice grain, or null for events Portal does not act on.</summary>
    public static InvoicePaymentEvent? Read(Event stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        if (!Handled.Contains(stripeEvent.Type))
        {
            return null;
        }
        return stripeEvent.Data?.Object switch
        {
            Session session => FromSession(stripeEvent, session),
            PaymentIntent intent => FromPaymentIntent(stripeEvent, intent),
            Charge charge => FromCharge(stripeEvent, charge),
            _ => null,
        };
    }

    private static InvoicePaymentEvent? FromSession(Event stripeEvent, Session session)
    {
        CardPaymentEventKind? kind = stripeEvent.Type switch
        {
            // "paid" now, or "unpaid" for payment methods that settle later (async_payment_* follows).
            EventTypes.CheckoutSessionCompleted => session.PaymentStatus switch
            {
                "paid" => CardPaymentEventKind.Succeeded,
                "unpaid" => CardPaymentEventKind.Processing,
                _ => null,
            },
            EventTypes.CheckoutSessionAsyncPaymentSucceeded => CardPaymentEventKind.Succeeded,
            EventTypes.CheckoutSessionAsyncPaymentFailed => CardPaymentEventKind.Failed,
            EventTypes.CheckoutSessionExpired => CardPaymentEventKind.Expired,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }
        var currency = session.Currency ?? "";
        var amount = MinorUnits.ToMajor(session.AmountTotal ?? 0, currency);
        var invoiceId = Guid(session.Metadata, StripeCheckout.InvoiceIdKey) ?? Guid(session.ClientReferenceId);
        return new InvoicePaymentEvent(
            invoiceId, Guid(session.Metadata, StripeCheckout.CompanyIdKey),
            new CardPaymentEvent(stripeEvent.Id, kind.Value, session.PaymentIntentId, session.Id, amount, currency,
                FailureReason: kind == CardPaymentEventKind.Failed ? "The payment did not go through." : null,
                PaymentId: Guid(session.Metadata, StripeCheckout.PaymentIdKey)));
    }

    private static InvoicePaymentEvent FromPaymentIntent(Event stripeEvent, PaymentIntent intent)
    {
        var succeeded = stripeEvent.Type == EventTypes.PaymentIntentSucceeded;
        var currency = intent.Currency ?? "";
        var amount = MinorUnits.ToMajor(succeeded && intent.AmountReceived > 0 ? intent.AmountReceived : intent.Amount, currency);
        return new InvoicePaymentEvent(
            Guid(intent.Metadata, StripeCheckout.InvoiceIdKey), Guid(intent.Metadata, StripeCheckout.CompanyIdKey),
            new CardPaymentEvent(stripeEvent.Id, succeeded ? CardPaymentEventKind.Succeeded : CardPaymentEventKind.Failed,
                intent.Id, null, amount, currency, FailureReason: succeeded ? null : intent.LastPaymentError?.Message,
                PaymentId: Guid(intent.Metadata, StripeCheckout.PaymentIdKey)));
    }

    private static InvoicePaymentEvent FromCharge(Event stripeEvent, Charge charge)
    {
        // Stripe copies the payment intent's metadata onto the charge it creates.
        var currency = charge.Currency ?? "";
        return new InvoicePaymentEvent(
            Guid(charge.Metadata, StripeCheckout.InvoiceIdKey), Guid(charge.Metadata, StripeCheckout.CompanyIdKey),
            new CardPaymentEvent(stripeEvent.Id, CardPaymentEventKind.Refunded, charge.PaymentIntentId ?? charge.Id, null,
                MinorUnits.ToMajor(charge.Amount, currency), currency, MinorUnits.ToMajor(charge.AmountRefunded, currency)));
    }

    private static Guid? Guid(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? Guid(value) : null;

    private static Guid? Guid(string? value) => System.Guid.TryParse(value, out var id) ? id : null;
}
