using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Portal.Tests.Functional.Infrastructure;
using static Portal.Tests.Functional.Infrastructure.StripeWebhooks;

namespace Portal.Tests.Functional;

/// <summary>
/// No double charge through stale Checkout sessions: one open, short-lived session per invoice that every tab reuses;
/// expired at (fake) Stripe as soon as the invoice is paid, voided or its balance changes; money that still lands on
/// a void or paid invoice is refund due, never paid. And the events of a card declined and retried in one session
/// settle that session's entry in either order.
/// </summary>
[Trait("Category", "Security")]
public sealed class CheckoutSessionTests(StripePortal portal) : IClassFixture<StripePortal>
{
    private HttpClient Api => portal.Api;

    private FakeStripe Stripe => portal.Stripe;

    private async Task<JsonNode> InvoiceAsync(Guid id) => await Api.GetOkAsync($"/api/invoices/{id}");

    private JsonObject MetadataFor(PayingClient paying) => Metadata(paying.InvoiceId, paying.ProjectId, portal.CompanyId);

    /// <summary>"Pay by card" from one rendering of the invoice page (a tab): its own attempt id and antiforgery token.</summary>
    private static async Task<string> PayByCardAsync(PayingClient paying, string pageHtml)
    {
        using var response = await paying.PostActionAsync("card-checkout", new() { ["attempt"] = StripePortal.AttemptId(pageHtml) }, pageHtml: pageHtml);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).Str("url");
    }

    private static async Task<string> NewTabAsync(PayingClient paying) => (await paying.Browser.GetAsync($"/portal/invoices/{paying.InvoiceId}")).Body;

    private static string SessionIdOf(string url) => url.Split('/').Last();

    private IReadOnlyList<FakeStripe.CreateRequest> CreatesFor(PayingClient paying) =>
        [.. Stripe.Creates.Where(c => c.Form.GetValueOrDefault("client_reference_id") == paying.InvoiceId.ToString())];

    private async Task ExpiredAtStripeAsync(string sessionId) =>
        await Eventually.UntilAsync(() => Stripe.Session(sessionId)?["status"]?.GetValue<string>() == "expired", $"checkout {sessionId} expired at Stripe");

    [Theory]
    [InlineData("00:10:00", false)]
    [InlineData("00:31:00", false)]
    [InlineData("00:32:00", true)]
    [InlineData("00:45:00", true)]
    [InlineData("23:00:00", true)]
    [InlineData("1.00:00:00", false)]
    public void The_checkout_lifetime_must_be_one_stripe_accepts(string lifetime, bool accepted)
    {
        var options = new Portal.Silo.Configuration.PortalOptions();
        options.Stripe.CheckoutLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture);

        var result = new Portal.Silo.Configuration.PortalOptionsValidator().Validate(null, options);

        Assert.Equal(accepted, !(result.Failed && result.Failures.Any(f => f.StartsWith("Portal:Stripe:CheckoutLifetime", StringComparison.Ordinal))));
        Assert.Equal(TimeSpan.FromMinutes(45), new Portal.Silo.Configuration.PortalOptions().Stripe.CheckoutLifetime);
    }

    [Fact]
    public async Task Two_tabs_paying_the_same_invoice_go_to_one_checkout_session_that_expires_within_the_hour()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var secondTab = await NewTabAsync(paying);
        var before = DateTimeOffset.UtcNow;

        var first = await PayByCardAsync(paying, paying.PageHtml);
        var second = await PayByCardAsync(paying, secondTab);

        Assert.Equal(first, second);
        var create = Assert.Single(CreatesFor(paying));
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(create.Form["expires_at"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(expiresAt, before.AddMinutes(30), before.AddMinutes(60));
        var open = (await InvoiceAsync(paying.InvoiceId))["openCheckout"]!;
        Assert.Equal((SessionIdOf(first), first, 1200m), (open.Str("sessionId"), open.Str("url"), open.Dec("amount")));
        Assert.Equal(expiresAt, DateTimeOffset.Parse(open.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single((await InvoiceAsync(paying.InvoiceId))["payments"]!.AsArray());
    }

    [Fact]
    public async Task Two_tabs_starting_at_the_same_moment_go_to_one_session_and_the_other_is_expired_at_stripe()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var secondTab = await NewTabAsync(paying);

        var urls = await Task.WhenAll(PayByCardAsync(paying, paying.PageHtml), PayByCardAsync(paying, secondTab));

        Assert.Equal(urls[0], urls[1]);
        var kept = SessionIdOf(urls[0]);
        Assert.Equal(kept, (await InvoiceAsync(paying.InvoiceId))["openCheckout"]!.Str("sessionId"));
        var sessions = await Eventually.ValueAsync(
            () => Task.FromResult(SessionsOf(paying)), s => s.All(x => x.Id == kept ? x.Status == "open" : x.Status == "expired"),
            "every session but the one kept expired at Stripe", show: s => string.Join(", ", s.Select(x => $"{x.Id}={x.Status}")));
        Assert.Contains(sessions, s => s.Id == kept);
    }

    private List<(string Id, string Status)> SessionsOf(PayingClient paying) =>
        [.. Stripe.SessionsFor(paying.InvoiceId).Select(s => (s["id"]!.GetValue<string>(), s["status"]!.GetValue<string>()))];

    [Fact]
    public async Task Recording_a_bank_transfer_after_a_checkout_expires_it_at_stripe_and_the_next_checkout_charges_the_new_balance()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var stale = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));

        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 200m, method = "bank_transfer" });

        await ExpiredAtStripeAsync(stale);
        Assert.Contains(stale, Stripe.Expires);
        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Null(invoice["openCheckout"]);
        using (var payStale = await paying.Browser.Http.PostAsync(new Uri(Stripe.BaseUri, $"checkout/{stale}/pay"), new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.Gone, payStale.StatusCode);
        }

        var fresh = SessionIdOf(await PayByCardAsync(paying, await NewTabAsync(paying)));
        Assert.NotEqual(stale, fresh);
        Assert.Equal(100000L, Stripe.Session(fresh)!["amount_total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Voiding_an_invoice_expires_its_checkout_at_stripe()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var session = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));

        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/void", null, HttpStatusCode.OK);

        await ExpiredAtStripeAsync(session);
        Assert.Null((await InvoiceAsync(paying.InvoiceId))["openCheckout"]);
    }

    [Fact]
    public async Task Stripe_being_unreachable_does_not_hold_up_recording_a_bank_transfer()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var session = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));
        Stripe.FailExpires = true;
        try
        {
            using var recorded = await Api.PostAsJsonAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 1200m, method = "bank_transfer" });

            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            Assert.Equal("paid", (await InvoiceAsync(paying.InvoiceId)).Str("status"));
            await Eventually.UntilAsync(() => Stripe.Expires.Contains(session), "an attempt to expire the checkout");
            Assert.Equal("open", Stripe.Session(session)!["status"]!.GetValue<string>());
        }
        finally
        {
            Stripe.FailExpires = false;
        }
    }

    [Fact]
    public async Task A_checkout_completed_on_a_voided_invoice_is_refund_due_shown_to_staff_and_never_paid()
    {
        await using var feed = await LiveStaffFeed.OpenAsync(portal.Host.BaseUri, PortalTestHost.ApiKey);
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var session = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));
        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/void", null, HttpStatusCode.OK);

        // Stripe took the money before the expiry reached it.
        var intent = NewId("pi");
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(portal.Host.CreateClient(), Event("checkout.session.completed", Session(session, intent, 120000, "gbp", MetadataFor(paying)))));

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("void", 0m, 1200m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("refundDue")));
        var card = invoice["payments"]!.AsArray().Single(p => p!.Str("method") == "card")!;
        Assert.Equal(("succeeded", intent, 1200m, 1200m), (card.Str("status"), card.Str("externalId"), card.Dec("amount"), card.Dec("refundDue")));
        var activity = (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray();
        Assert.DoesNotContain(activity, e => e!.Str("type") == ActivityTypes.PaymentSucceeded);
        Assert.Equal(1200m, activity.Single(e => e!.Str("type") == ActivityTypes.PaymentRefundDue)!.Dec("amount"));
        var item = await feed.NextItemAsync(i => i.ProjectId == paying.ProjectId && i.Type == ActivityTypes.PaymentRefundDue);
        Assert.Contains("refund due", item.Text);
        Assert.Equal("£1,200.00", item.Amount);
    }

    [Fact]
    public async Task A_checkout_completed_on_an_invoice_already_paid_by_bank_transfer_leaves_the_paid_total_and_is_refund_due()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var session = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));
        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 1200m, method = "bank_transfer" });

        var intent = NewId("pi");
        var http = portal.Host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("checkout.session.completed", Session(session, intent, 120000, "gbp", MetadataFor(paying)))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.succeeded", PaymentIntent(intent, 120000, "gbp", Stripe.IntentMetadata(session)))));

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m, 0m, 1200m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance"), invoice.Dec("refundDue")));
        Assert.Equal(1200m, invoice["payments"]!.AsArray().Single(p => p!.Str("method") == "card")!.Dec("refundDue"));

        // Staff refund it at Stripe: the refund settles what was due and the invoice stays paid.
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("charge.refunded", Charge(intent, 120000, 120000, "gbp", MetadataFor(paying)))));
        invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m, 0m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("refundDue")));
    }

    [Fact]
    public async Task A_card_declined_then_accepted_in_one_checkout_settles_its_entry()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var session = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));
        var intent = NewId("pi");
        var metadata = Stripe.IntentMetadata(session);
        var http = portal.Host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.payment_failed", PaymentIntent(intent, 120000, "gbp", metadata, "requires_payment_method", "Your card was declined."))));
        var declined = Assert.Single((await InvoiceAsync(paying.InvoiceId))["payments"]!.AsArray())!;
        Assert.Equal(("failed", session, "Your card was declined."), (declined.Str("status"), declined.Str("checkoutSessionId"), declined.Str("failureReason")));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.succeeded", PaymentIntent(intent, 120000, "gbp", metadata))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("checkout.session.completed", Session(session, intent, 120000, "gbp", MetadataFor(paying)))));

        await AssertPaidOnceThroughAsync(paying, session, intent);
    }

    [Fact]
    public async Task A_success_delivered_before_the_earlier_decline_still_settles_the_checkouts_entry()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var session = SessionIdOf(await PayByCardAsync(paying, paying.PageHtml));
        var intent = NewId("pi");
        var metadata = Stripe.IntentMetadata(session);
        var http = portal.Host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.succeeded", PaymentIntent(intent, 120000, "gbp", metadata))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.payment_failed", PaymentIntent(intent, 120000, "gbp", metadata, "requires_payment_method", "Your card was declined."))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("checkout.session.completed", Session(session, intent, 120000, "gbp", MetadataFor(paying)))));

        await AssertPaidOnceThroughAsync(paying, session, intent);
    }

    private async Task AssertPaidOnceThroughAsync(PayingClient paying, string session, string intent)
    {
        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m), (invoice.Str("status"), invoice.Dec("amountPaid")));
        var payment = Assert.Single(invoice["payments"]!.AsArray())!;
        Assert.Equal(("succeeded", session, intent), (payment.Str("status"), payment.Str("checkoutSessionId"), payment.Str("externalId")));
        Assert.Null(invoice["openCheckout"]);
        var page = await paying.Browser.GetAsync($"/portal/invoices/{paying.InvoiceId}?checkout=success&session_id={session}");
        Assert.DoesNotContain("Payment processing", page.Body);
    }
}
