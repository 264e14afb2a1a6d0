using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Portal.Tests.Functional.Infrastructure;
using static Portal.Tests.Functional.Infrastructure.StripeWebhooks;

namespace Portal.Tests.Functional;

/// <summary>Paying an invoice: bank details on request, card checkout through (fake) Stripe, webhooks, manual payments.</summary>
public sealed class PaymentTests(StripePortal portal) : IClassFixture<StripePortal>
{
    private HttpClient Api => portal.Api;

    private async Task<JsonNode> InvoiceAsync(Guid id) => await Api.GetOkAsync($"/api/invoices/{id}");

    private JsonObject MetadataFor(PayingClient paying) => Metadata(paying.InvoiceId, paying.ProjectId, portal.CompanyId);

    private static Task<HttpResponseMessage> PostWithTokenAsync(PayingClient paying, string action, Dictionary<string, string>? form = null, bool json = true) =>
        paying.PostActionAsync(action, form, json);

    [Fact]
    public async Task Bank_details_are_not_in_the_page_and_are_given_on_request_with_the_reference_and_amount_and_recorded()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();

        Assert.Contains("Make a payment", paying.PageHtml);
        Assert.Contains("Pay by bank transfer", paying.PageHtml);
        foreach (var secret in new[] { StripePortal.AccountName, StripePortal.SortCode, StripePortal.AccountNumber, StripePortal.Iban, StripePortal.Bic })
        {
            Assert.DoesNotContain(secret, paying.PageHtml);
        }

        // Without the antiforgery token nothing is revealed and nothing is recorded.
        using (var forged = await paying.Browser.Http.PostAsync($"/portal/invoices/{paying.InvoiceId}/bank-transfer", new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.DoesNotContain(StripePortal.AccountNumber, await forged.Content.ReadAsStringAsync());
        }
        Assert.DoesNotContain(ActivityTypes.BankDetailsRevealed, (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).ToJsonString());

        using var revealed = await PostWithTokenAsync(paying, "bank-transfer");
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal("no-store", revealed.Headers.CacheControl?.ToString());
        var details = await revealed.ReadJsonAsync();
        Assert.Equal(StripePortal.AccountName, details.Str("accountName"));
        Assert.Equal(StripePortal.SortCode, details.Str("sortCode"));
        Assert.Equal(StripePortal.AccountNumber, details.Str("accountNumber"));
        Assert.Equal(StripePortal.Iban, details.Str("iban"));
        Assert.Equal(StripePortal.Bic, details.Str("bic"));
        Assert.Equal(paying.Number, details.Str("reference"));
        Assert.Equal(1200m, details.Dec("amountDue"));
        Assert.Equal("£1,200.00", details.Str("amountDueText"));

        var reveal = (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray().Single(e => e!.Str("type") == ActivityTypes.BankDetailsRevealed)!;
        Assert.Equal("client", reveal["by"]!.Str("kind"));
        Assert.Equal("Jane Smith", reveal["by"]!.Str("name"));
        Assert.Equal(paying.Number, reveal.Str("documentNumber"));
        Assert.Equal(1200m, reveal.Dec("amount"));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Asking_for_the_bank_details_again_the_same_day_shows_them_each_time_and_logs_them_once()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();

        for (var i = 0; i < 20; i++)
        {
            using var revealed = await PostWithTokenAsync(paying, "bank-transfer");
            Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
            Assert.Equal(StripePortal.AccountNumber, (await revealed.ReadJsonAsync()).Str("accountNumber"));
        }

        var log = (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray();
        Assert.Single(log, e => e!.Str("type") == ActivityTypes.BankDetailsRevealed);
    }

    [Fact]
    public async Task Another_clients_invoice_answers_404_to_both_payment_actions()
    {
        using var owner = await portal.InvoiceOpenedByClientAsync();
        using var other = await portal.InvoiceOpenedByClientAsync();
        var probe = other with { InvoiceId = owner.InvoiceId };

        using var bank = await PostWithTokenAsync(probe, "bank-transfer");
        using var card = await PostWithTokenAsync(probe, "card-checkout");

        Assert.Equal(HttpStatusCode.NotFound, bank.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, card.StatusCode);
        Assert.Empty((await InvoiceAsync(owner.InvoiceId))["payments"]!.AsArray());
    }

    [Fact]
    public async Task Card_checkout_asks_stripe_for_the_balance_once_and_the_page_shows_processing_until_the_webhook_then_paid()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 200m, method = "bank_transfer" });
        var attempt = StripePortal.AttemptId(paying.PageHtml);
        var before = portal.Stripe.Creates.Count;

        // A double click: the same attempt twice gets the same session, and the ledger one pending payment.
        using var first = await PostWithTokenAsync(paying, "card-checkout", new() { ["attempt"] = attempt });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var url = (await first.ReadJsonAsync()).Str("url");
        using var second = await PostWithTokenAsync(paying, "card-checkout", new() { ["attempt"] = attempt }, json: false);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal(url, second.Headers.Location!.ToString());
        Assert.StartsWith(portal.Stripe.ApiBase, url);

        // The second click finds the checkout open for the same balance and goes there without asking Stripe again.
        var create = Assert.Single(portal.Stripe.Creates.Skip(before));
        Assert.Contains(Guid.Parse(attempt).ToString("N"), create.IdempotencyKey);
        Assert.Equal($"Bearer {FakeStripe.SecretKey}", create.Authorization);
        var form = create.Form;
        Assert.Equal("payment", form["mode"]);
        Assert.Equal("100000", form["line_items[0][price_data][unit_amount]"]); // £1,000.00 still due, in pence
        Assert.Equal("1", form["line_items[0][quantity]"]);
        Assert.Equal("gbp", form["line_items[0][price_data][currency]"]);
        Assert.Equal($"Invoice {paying.Number}", form["line_items[0][price_data][product_data][name]"]);
        Assert.Equal(paying.InvoiceId.ToString(), form["client_reference_id"]);
        foreach (var prefix in new[] { "metadata", "payment_intent_data[metadata]" })
        {
            Assert.Equal(paying.InvoiceId.ToString(), form[$"{prefix}[invoice_id]"]);
            Assert.Equal(paying.ProjectId.ToString(), form[$"{prefix}[project_id]"]);
            Assert.Equal(portal.CompanyId.ToString(), form[$"{prefix}[company_id]"]);
        }
        Assert.Equal($"{portal.Host.BaseUri}portal/invoices/{paying.InvoiceId}?checkout=success&session_id={{CHECKOUT_SESSION_ID}}", form["success_url"]);
        Assert.Equal($"{portal.Host.BaseUri}portal/invoices/{paying.InvoiceId}?checkout=cancelled", form["cancel_url"]);

        var sessionId = url.Split('/').Last();
        var pending = (await InvoiceAsync(paying.InvoiceId))["payments"]!.AsArray().Single(p => p!.Str("method") == "card")!;
        Assert.Equal(("pending", sessionId, 1000m), (pending.Str("status"), pending.Str("checkoutSessionId"), pending.Dec("amount")));

        // Back from checkout: processing until Stripe confirms.
        var returned = $"/portal/invoices/{paying.InvoiceId}?checkout=success&session_id={sessionId}";
        var processing = await paying.Browser.GetAsync(returned);
        Assert.Contains("Payment processing", processing.Body);
        Assert.Contains("data-payment-processing=\"true\"", processing.Body);
        Assert.DoesNotContain("id=\"make-payment\"", processing.Body);

        var intent = NewId("pi");
        var session = Session(sessionId, intent, 100000, "gbp", MetadataFor(paying));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(paying.Browser.Http, Event("checkout.session.completed", session)));

        var paid = await paying.Browser.GetAsync(returned);
        Assert.DoesNotContain("Payment processing", paid.Body);
        Assert.Contains("data-status=\"Paid\"", paid.Body);
        Assert.Contains("Thank you. Your payment has been received.", paid.Body);
        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m, 0m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
        var card = invoice["payments"]!.AsArray().Single(p => p!.Str("method") == "card")!;
        Assert.Equal(("succeeded", intent), (card.Str("status"), card.Str("externalId")));
    }

    [Fact]
    public async Task A_cancelled_checkout_leaves_the_invoice_payable_and_shows_no_payment()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        using var started = await PostWithTokenAsync(paying, "card-checkout", new() { ["attempt"] = StripePortal.AttemptId(paying.PageHtml) });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);

        var back = await paying.Browser.GetAsync($"/portal/invoices/{paying.InvoiceId}?checkout=cancelled");

        Assert.Contains("Card payment cancelled", back.Body);
        Assert.Contains("id=\"make-payment\"", back.Body);
        Assert.DoesNotContain("Payment processing", back.Body);
        Assert.DoesNotContain("invoice-payments-title", back.Body);
    }

    [Fact]
    public async Task Without_a_stripe_secret_key_the_card_option_is_not_offered_even_if_the_company_takes_cards()
    {
        await using var host = await PortalTestHost.StartAsync();
        await StripePortal.ConfigureCompanyAsync(host.Api, card: true);
        using var paying = await StripePortal.OpenInvoiceAsync(host);

        Assert.Contains("Pay by bank transfer", paying.PageHtml);
        Assert.DoesNotContain("Pay by card", paying.PageHtml);
        using var refused = await PostWithTokenAsync(paying, "card-checkout");
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "payment.method_unavailable");
        using var webhook = await StripeWebhooks.PostAsync(host.CreateClient(), "{}", SignatureHeader("{}"));
        Assert.Equal(HttpStatusCode.NotFound, webhook.StatusCode);
    }

    [Fact]
    public void A_stripe_secret_key_without_a_webhook_secret_or_a_malformed_api_base_is_refused_at_start()
    {
        var noSecret = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Portal.Web.Hosting.PortalWebApp.Build(["--Portal:Stripe:SecretKey=sk_test_x", $"--Portal:DataDirectory={PortalTestHost.NewDataDirectory()}"]));
        Assert.Contains("Portal:Stripe:WebhookSecret", noSecret.Message);

        var badBase = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Portal.Web.Hosting.PortalWebApp.Build(["--Portal:Stripe:ApiBase=not a url", $"--Portal:DataDirectory={PortalTestHost.NewDataDirectory()}"]));
        Assert.Contains("Portal:Stripe:ApiBase", badBase.Message);
    }

    [Fact]
    public async Task A_webhook_with_a_missing_wrong_or_stale_signature_is_refused_and_changes_nothing()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var payload = Event("payment_intent.succeeded", PaymentIntent(NewId("pi"), 120000, "gbp", MetadataFor(paying)));
        var http = portal.Host.CreateClient();

        var attempts = new Dictionary<string, string?>
        {
            ["missing"] = null,
            ["garbage"] = "nonsense",
            ["wrong secret"] = SignatureHeader(payload, "whsec_someone_else"),
            ["another payload"] = SignatureHeader(payload.Replace("120000", "1"), WebhookSecret),
            ["stale"] = SignatureHeader(payload, at: DateTimeOffset.UtcNow.AddMinutes(-10)),
        };
        foreach (var (name, signature) in attempts)
        {
            using var response = await StripeWebhooks.PostAsync(http, payload, signature);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
            var code = (await response.ReadJsonAsync()).Str("code");
            Assert.Equal(name == "missing" ? "webhook.signature_missing" : "webhook.signature_invalid", code);
        }

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Empty(invoice["payments"]!.AsArray());
        Assert.Equal("viewed", invoice.Str("status"));

        // The same payload, properly signed, is accepted: the refusals were about the signature alone.
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, payload));
        Assert.Equal("paid", (await InvoiceAsync(paying.InvoiceId)).Str("status"));
    }

    [Fact]
    public async Task A_replayed_event_never_changes_the_total()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var payload = Event("payment_intent.succeeded", PaymentIntent(NewId("pi"), 50000, "gbp", MetadataFor(paying)));
        var http = portal.Host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, payload));
        }

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("partially_paid", 500m, 700m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
        Assert.Single(invoice["payments"]!.AsArray());
        var activity = (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray();
        Assert.Single(activity, e => e!.Str("type") == ActivityTypes.PaymentSucceeded);
    }

    [Fact]
    public async Task One_payment_reported_under_two_events_counts_once()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var intent = NewId("pi");
        var http = portal.Host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("checkout.session.completed", Session(NewId("cs"), intent, 120000, "gbp", MetadataFor(paying)))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.succeeded", PaymentIntent(intent, 120000, "gbp", MetadataFor(paying)))));

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m), (invoice.Str("status"), invoice.Dec("amountPaid")));
        Assert.Single(invoice["payments"]!.AsArray());
    }

    [Fact]
    public async Task A_failure_then_a_success_ends_paid_and_a_late_failure_does_not_unpay()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var intent = NewId("pi");
        var http = portal.Host.CreateClient();
        string Failed() => Event("payment_intent.payment_failed", PaymentIntent(intent, 120000, "gbp", MetadataFor(paying), "requires_payment_method", "Your card was declined."));

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Failed()));
        var failed = (await InvoiceAsync(paying.InvoiceId))["payments"]!.AsArray().Single()!;
        Assert.Equal(("failed", "Your card was declined."), (failed.Str("status"), failed.Str("failureReason")));

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("payment_intent.succeeded", PaymentIntent(intent, 120000, "gbp", MetadataFor(paying)))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Failed()));

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m), (invoice.Str("status"), invoice.Dec("amountPaid")));
        Assert.Equal("succeeded", invoice["payments"]!.AsArray().Single()!.Str("status"));
        var types = (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray().Select(e => e!.Str("type")).ToList();
        Assert.Equal(1, types.Count(t => t == ActivityTypes.PaymentFailed));
        Assert.Equal(1, types.Count(t => t == ActivityTypes.PaymentSucceeded));
    }

    [Fact]
    public async Task A_refund_lowers_the_paid_total_and_moves_the_status_back()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var intent = NewId("pi");
        var http = portal.Host.CreateClient();
        await DeliverAsync(http, Event("payment_intent.succeeded", PaymentIntent(intent, 120000, "gbp", MetadataFor(paying))));

        var partial = Event("charge.refunded", Charge(intent, 120000, 20000, "gbp", MetadataFor(paying)));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, partial));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, partial));
        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("partially_paid", 1000m, 200m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
        Assert.Equal(200m, invoice["payments"]!.AsArray().Single()!.Dec("refundedAmount"));

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, Event("charge.refunded", Charge(intent, 120000, 120000, "gbp", MetadataFor(paying)))));
        invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("viewed", 0m), (invoice.Str("status"), invoice.Dec("amountPaid")));
        Assert.Equal("refunded", invoice["payments"]!.AsArray().Single()!.Str("status"));
        var refunds = (await Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray().Where(e => e!.Str("type") == ActivityTypes.PaymentRefunded).Select(e => e!.Dec("amount"));
        Assert.Equal([200m, 1000m], refunds);
    }

    [Fact]
    public async Task Events_for_an_unknown_invoice_or_of_other_types_are_acknowledged_and_change_nothing()
    {
        var http = portal.Host.CreateClient();

        using (var unknown = await StripeWebhooks.PostAsync(http, Sign(Event("payment_intent.succeeded", PaymentIntent(NewId("pi"), 100, "gbp", Metadata(Guid.NewGuid()))), out var s1), s1))
        {
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
            Assert.Equal("unknown_invoice", (await unknown.ReadJsonAsync()).Str("outcome"));
        }
        using (var unnamed = await StripeWebhooks.PostAsync(http, Sign(Event("payment_intent.succeeded", PaymentIntent(NewId("pi"), 100, "gbp", new JsonObject())), out var s2), s2))
        {
            Assert.Equal(HttpStatusCode.OK, unnamed.StatusCode);
            Assert.Equal("unknown_invoice", (await unnamed.ReadJsonAsync()).Str("outcome"));
        }
        using (var other = await StripeWebhooks.PostAsync(http, Sign(Event("customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" }), out var s3), s3))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.Equal("not_handled", (await other.ReadJsonAsync()).Str("outcome"));
        }
    }

    private static string Sign(string payload, out string signature)
    {
        signature = SignatureHeader(payload);
        return payload;
    }

    [Fact]
    public async Task Partial_manual_payments_reach_paid_with_date_and_reference_and_an_overpayment_is_refused()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();

        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 700m, method = "bank_transfer", reference = paying.Number, receivedOn = "2026-11-20" });
        Assert.Equal("partially_paid", (await InvoiceAsync(paying.InvoiceId)).Str("status"));
        using (var over = await Api.PostAsJsonAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 500.01m, method = "cash" }))
        {
            await over.AssertProblemAsync(HttpStatusCode.Conflict, "invoice.overpayment");
        }
        await Api.PostOkAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 500m, method = "other", reference = "Cheque 000123" });

        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m, 0m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
        var first = invoice["payments"]!.AsArray()[0]!;
        Assert.Equal(("bank_transfer", paying.Number, "2026-11-20"), (first.Str("method"), first.Str("reference"), first.Str("receivedOn")));

        // The overview shows both payments with date, status and amount, and the invoice as paid.
        var overviewHtml = WebUtility.HtmlDecode((await paying.Browser.GetAsync($"/portal/projects/{paying.ProjectId}")).Body);
        var payments = overviewHtml[overviewHtml.IndexOf("payments-title", StringComparison.Ordinal)..];
        Assert.Contains("20 Nov 2026", payments);
        Assert.Contains("£700.00", payments);
        Assert.Contains("£500.00", payments);
        var invoices = overviewHtml[overviewHtml.IndexOf("invoices-title", StringComparison.Ordinal)..overviewHtml.IndexOf("payments-title", StringComparison.Ordinal)];
        Assert.Contains(paying.Number, invoices);
        Assert.Contains(">Paid<", invoices);

        // A paid invoice offers no payment.
        var page = await paying.Browser.GetAsync($"/portal/invoices/{paying.InvoiceId}");
        Assert.DoesNotContain("id=\"make-payment\"", page.Body);
    }

    [Fact]
    public async Task Concurrent_webhook_deliveries_and_manual_payments_never_exceed_the_total_and_lose_nothing()
    {
        using var paying = await portal.InvoiceOpenedByClientAsync();
        var intent = NewId("pi");
        var viaCheckout = Event("checkout.session.completed", Session(NewId("cs"), intent, 70000, "gbp", MetadataFor(paying)));
        var viaIntent = Event("payment_intent.succeeded", PaymentIntent(intent, 70000, "gbp", MetadataFor(paying)));
        var paymentId = Guid.NewGuid();
        var http = portal.Host.CreateClient();

        var webhooks = Enumerable.Range(0, 10).Select(i => DeliverAsync(http, i % 2 == 0 ? viaCheckout : viaIntent));
        var manual = Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await Api.PostAsJsonAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 500m, method = "bank_transfer", paymentId });
            return response.StatusCode;
        });
        var answers = await Task.WhenAll(webhooks.Concat(manual));

        Assert.All(answers.Take(10), a => Assert.Equal(HttpStatusCode.OK, a));
        Assert.All(answers.Skip(10), a => Assert.Equal(HttpStatusCode.Created, a));
        var invoice = await InvoiceAsync(paying.InvoiceId);
        Assert.Equal(("paid", 1200m, 0m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
        Assert.Equal(2, invoice["payments"]!.AsArray().Count);
        using var more = await Api.PostAsJsonAsync($"/api/invoices/{paying.InvoiceId}/payments", new { amount = 0.01m, method = "cash" });
        await more.AssertProblemAsync(HttpStatusCode.Conflict, "invoice.not_payable");
    }
}
