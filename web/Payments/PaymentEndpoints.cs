using Portal.Domain;
using Portal.Web.Api;
using Portal.Web.ClientPortal;
using Portal.Web.Links;
using Stripe;

namespace Portal.Web.Payments;

/// <summary>
/// The client's "Make a payment" actions (bank details on request, card checkout) and Stripe's webhook.
/// The portal actions are same-origin POSTs with the antiforgery token (header or form field), refused like every portal action.
/// </summary>
public static class PaymentEndpoints
{
    public const string CheckoutReturned = "success";
    public const string CheckoutCancelled = "cancelled";

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/portal/invoices/{id:guid}")
            .RequireAuthorization(ClientSession.Policy)
            .RefusedLikeThePortal(InvoicePage);
        portal.MapPost("/bank-transfer", RevealBankDetailsAsync);
        portal.MapPost("/card-checkout", StartCardCheckoutAsync);
        app.MapPost("/webhooks/stripe", StripeWebhook.HandleAsync).AllowAnonymous();
        return app;
    }

    /// <summary>Without script the invoice page says why the payment could not start.</summary>
    private static string InvoicePage(HttpContext http, PortalRuleViolation rule) =>
        $"/portal/invoices/{http.GetRouteValue("id")}?problem={Uri.EscapeDataString(rule.Code)}";

    public sealed record BankTransferDetails(
        string AccountName, string SortCode, string AccountNumber, string? Iban, string? Bic,
        string Reference, decimal AmountDue, string Currency, string AmountDueText);

    private static async Task<IResult> RevealBankDetailsAsync(
        Guid id, HttpContext http, PortalContext portal, IGrainFactory grains, TimeProvider clock)
    {
        var invoice = await portal.FindInvoiceAsync(id);
        if (invoice is null)
        {
            return Results.NotFound();
        }
        var company = (await portal.GetCompanyAsync())!;
        if (!company.PaymentMethods.BankTransfer || company.BankDetails is not { } bank)
        {
            throw new PortalRuleViolation(RuleCodes.PaymentMethodUnavailable, "Bank transfer is not offered for this invoice. Contact us to pay another way.");
        }
        EnsurePayable(invoice);
        var currency = invoice.Totals.Currency;
        // Staff see who looked at the bank details and when; the details are only given out once that is stored. One
        // entry per invoice, client and company-local day: a repeat that day is the same entry, stored and told once.
        var now = clock.GetUtcNow();
        var entryId = ActivityIds.BankDetailsRevealed(invoice.Id, portal.ClientId, LocalDay.Today(now, company.TimeZone));
        await grains.GetGrain<IProjectGrain>(invoice.ProjectId).RecordActivity(new ActivityInput(
            entryId, ActivityTypes.BankDetailsRevealed, now, portal.Actor, invoice.Id, invoice.Number,
            DocumentKind.Invoice, invoice.Balance, currency));
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new BankTransferDetails(
            bank.AccountName, bank.SortCode, bank.AccountNumber, bank.Iban, bank.Bic, invoice.Number, invoice.Balance, currency,
            Formats.Money(invoice.Balance, currency)));
    }

    /// <summary>
    /// Sends the client to the invoice's one open checkout: the one already open for this balance (another tab, a
    /// double click), else a new one. The invoice grain decides which stays open when two start at once, and expires
    /// the others at Stripe.
    /// </summary>
    private static async Task<IResult> StartCardCheckoutAsync(
        Guid id, HttpContext http, PortalContext portal, IGrainFactory grains, StripeCheckout stripe, PublicUrls urls,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var invoice = await portal.FindInvoiceAsync(id);
        if (invoice is null)
        {
            return Results.NotFound();
        }
        var company = (await portal.GetCompanyAsync())!;
        if (!stripe.Configured || !company.PaymentMethods.Card)
        {
            throw new PortalRuleViolation(RuleCodes.PaymentMethodUnavailable, "Card payments are not offered. Pay by bank transfer, or contact us.");
        }
        EnsurePayable(invoice);
        if (!MinorUnits.CanCharge(invoice.Balance, invoice.Totals.Currency))
        {
            throw new PortalRuleViolation(RuleCodes.PaymentCardAmount,
                $"A card cannot be charged exactly {new Money(invoice.Balance, invoice.Totals.Currency).Format()}. Pay by bank transfer, or contact us.");
        }
        var now = clock.GetUtcNow();
        if (InvoiceRules.ReusableCheckout(invoice, now) is { } open)
        {
            return GoTo(http, open.Url);
        }

        // The page gives each rendering its own attempt id, so a double click or a retry is the same attempt.
        var attemptId = Guid.NewGuid();
        if (http.Request.HasFormContentType
            && Guid.TryParse((await http.Request.ReadFormAsync(cancellationToken))["attempt"], out var posted) && posted != Guid.Empty)
        {
            attemptId = posted;
        }
        var page = $"/portal/invoices/{invoice.Id}";
        var request = new CardCheckoutRequest(
            attemptId, invoice.Id, invoice.ProjectId, invoice.CompanyId, invoice.Number, invoice.Balance, invoice.Totals.Currency,
            (await portal.GetClientAsync()).Email,
            urls.Absolute($"{page}?checkout={CheckoutReturned}&session_id={{CHECKOUT_SESSION_ID}}"),
            urls.Absolute($"{page}?checkout={CheckoutCancelled}"),
            stripe.ExpiryFor(now));
        CardCheckoutSession session;
        try
        {
            session = await stripe.CreateSessionAsync(request, cancellationToken);
        }
        catch (StripeException failure)
        {
            loggers.CreateLogger(typeof(PaymentEndpoints)).LogError(failure,
                "Stripe refused a checkout for invoice {InvoiceId} ({StripeError})", invoice.Id, failure.StripeError?.Code ?? failure.Message);
            return ProviderUnavailable();
        }
        var started = await grains.GetGrain<IInvoiceGrain>(invoice.Id).StartCardPayment(
            new StartCardPayment(attemptId, session.Id, invoice.Balance, invoice.Totals.Currency, portal.Actor, session.Url, session.ExpiresAt));
        if (started.OpenCheckout is not { } target)
        {
            // Only when this very session was already finished with (a retry long after its first request): a new
            // attempt from a fresh page starts a new one.
            loggers.CreateLogger(typeof(PaymentEndpoints)).LogWarning(
                "Checkout {SessionId} for invoice {InvoiceId} is no longer open; the client is asked to try again", session.Id, invoice.Id);
            return ProviderUnavailable();
        }
        return GoTo(http, target.Url);
    }

    private static IResult ProviderUnavailable() =>
        PortalProblems.Result(StatusCodes.Status502BadGateway, RuleCodes.PaymentProviderUnavailable,
            "Card payments are not available right now. Try again in a few minutes, or pay by bank transfer.");

    /// <summary>Scripts fetch the address and go there; a plain form post is redirected.</summary>
    private static IResult GoTo(HttpContext http, string url)
    {
        if (PortalProblems.WantsProblem(http.Request))
        {
            return Results.Ok(new { url });
        }
        http.Response.Headers.Location = url;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static void EnsurePayable(InvoiceView invoice)
    {
        if (!InvoiceRules.IsPayable(invoice))
        {
            throw new PortalRuleViolation(RuleCodes.InvoiceNotPayable,
                invoice.Status == InvoiceStatus.Paid ? $"Invoice {invoice.Number} is already paid." : $"Invoice {invoice.Number} cannot be paid here.");
        }
    }
}
