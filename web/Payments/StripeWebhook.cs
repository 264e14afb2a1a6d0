using System.Text;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Web.Api;
using Stripe;

namespace Portal.Web.Payments;

/// <summary>
/// <c>POST /webhooks/stripe</c>. Stripe retries anything but a 2xx for days, so the answer says exactly one
/// thing: 2xx once the event is stored (or can never apply), 400 when it is not genuine, 5xx when it could not
/// be stored yet.
/// </summary>
public static class StripeWebhook
{
    /// <summary>Stripe's own default: a signature older than five minutes is a replay.</summary>
    public const long ToleranceSeconds = 300;

    // Stripe events are a few kilobytes; anything much larger is not one.
    private const int MaxBodyBytes = 512 * 1024;

    public static async Task<IResult> HandleAsync(
        HttpContext http, IOptions<PortalOptions> options, IGrainFactory grains, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhook));
        var secret = options.Value.Stripe.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            logger.LogWarning("A Stripe webhook arrived but Portal:Stripe:WebhookSecret is not set; answering 404");
            return Results.NotFound();
        }

        var body = await ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return PortalProblems.Result(StatusCodes.Status413PayloadTooLarge, RuleCodes.WebhookTooLarge, "The event is too large.");
        }
        var signature = http.Request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature))
        {
            logger.LogWarning("Stripe webhook without a Stripe-Signature header refused");
            return PortalProblems.Result(StatusCodes.Status400BadRequest, RuleCodes.WebhookSignatureMissing, "The Stripe-Signature header is missing.");
        }

        Event stripeEvent;
        try
        {
            // The body is verified exactly as received; the API version of the payload may differ from the library's.
            stripeEvent = EventUtility.ConstructEvent(body, signature, secret, ToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (Exception failure) when (failure is StripeException or FormatException or ArgumentException or Newtonsoft.Json.JsonException)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", failure.Message);
            return PortalProblems.Result(StatusCodes.Status400BadRequest, RuleCodes.WebhookSignatureInvalid, "The event's signature is not valid or is too old.");
        }

        var payment = StripeEvents.Read(stripeEvent);
        if (payment is null)
        {
            logger.LogDebug("Stripe event {EventId} of type {Type} is not one Portal acts on", stripeEvent.Id, stripeEvent.Type);
            return Results.Ok(new { received = true, outcome = "not_handled" });
        }
        if (payment.InvoiceId is not { } invoiceId)
        {
            logger.LogWarning("Stripe event {EventId} ({Type}) names no invoice; acknowledged and ignored", stripeEvent.Id, stripeEvent.Type);
            return Results.Ok(new { received = true, outcome = "unknown_invoice" });
        }

        var invoice = grains.GetGrain<IInvoiceGrain>(invoiceId);
        CardEventResult result;
        try
        {
            var known = await invoice.Exists();
            if (!known)
            {
                logger.LogWarning("Stripe event {EventId} ({Type}) is for unknown invoice {InvoiceId}; acknowledged and ignored", stripeEvent.Id, stripeEvent.Type, invoiceId);
                return Results.Ok(new { received = true, outcome = "unknown_invoice" });
            }
            if (payment.CompanyId is { } companyId && (await invoice.Get()).CompanyId != companyId)
            {
                logger.LogWarning("Stripe event {EventId} names invoice {InvoiceId} of another company; acknowledged and ignored", stripeEvent.Id, invoiceId);
                return Results.Ok(new { received = true, outcome = "unknown_invoice" });
            }
            result = await invoice.ApplyCardEvent(payment.Event);
        }
        catch (PortalRuleViolation rule) when (rule.Kind is RuleKind.Invalid or RuleKind.NotFound)
        {
            // Retrying cannot make a malformed event valid.
            logger.LogWarning("Stripe event {EventId} refused by invoice {InvoiceId}: {Code} {Message}", stripeEvent.Id, invoiceId, rule.Code, rule.Message);
            return Results.Ok(new { received = true, outcome = "refused" });
        }
        catch (Exception failure)
        {
            logger.LogError(failure, "Stripe event {EventId} for invoice {InvoiceId} could not be stored; Stripe will retry", stripeEvent.Id, invoiceId);
            return PortalProblems.Result(StatusCodes.Status503ServiceUnavailable, RuleCodes.WebhookNotStored, "The event could not be stored; retry later.");
        }

        logger.LogInformation("Stripe event {EventId} ({Type}) on invoice {InvoiceId}: {Outcome}", stripeEvent.Id, stripeEvent.Type, invoiceId, result.Outcome);
        return Results.Ok(new { received = true, outcome = StripeOutcome(result.Outcome), status = Api.StaffApi.Wire(result.Invoice.Status) });
    }

    private static string StripeOutcome(CardEventOutcome outcome) => Api.StaffApi.Wire(outcome);

    /// <summary>The raw body as sent (the signature covers these exact bytes), or null when it is too large.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
