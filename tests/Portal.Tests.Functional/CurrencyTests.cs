using System.Net;
using System.Net.Http.Json;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Payments;
using static Portal.Tests.Functional.Infrastructure.StripeWebhooks;

namespace Portal.Tests.Functional;

/// <summary>
/// Money in currencies without two decimals: a three-decimal company (KWD) is charged and credited in fils, a
/// zero-decimal one (JPY) in yen; every currency converts to Stripe's units and back exactly.
/// </summary>
[Trait("Category", "Security")]
public sealed class CurrencyTests(StripePortal portal) : IClassFixture<StripePortal>
{
    private HttpClient Api => portal.Api;

    [Theory]
    [InlineData("GBP", "12.34", 1234L)]
    [InlineData("USD", "0.01", 1L)]
    [InlineData("JPY", "1200", 1200L)]
    [InlineData("KRW", "50000", 50000L)]
    [InlineData("ISK", "5000", 500000L)]
    [InlineData("KWD", "12.340", 12340L)]
    [InlineData("BHD", "0.010", 10L)]
    [InlineData("JOD", "7.5", 7500L)]
    [InlineData("OMR", "1", 1000L)]
    [InlineData("TND", "99.990", 99990L)]
    public void Amounts_convert_to_stripe_units_and_back_by_the_currencys_exponent(string currency, string major, long minor)
    {
        var amount = decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(minor, MinorUnits.FromMajor(amount, currency));
        Assert.Equal(amount, MinorUnits.ToMajor(minor, currency));
    }

    [Fact]
    public void Every_currency_a_company_can_choose_round_trips_its_smallest_amount_and_a_large_one()
    {
        Assert.True(Currencies.All.Count > 130);
        foreach (var currency in Currencies.All)
        {
            var decimals = Currencies.Decimals(currency);
            Assert.InRange(decimals, 0, 3);
            // The smallest amount Stripe takes in this currency, and a large one with every decimal used.
            var (smallest, large) = decimals switch
            {
                0 => (1m, 123_456m),
                2 => (0.01m, 123_456.78m),
                _ => (0.010m, 123_456.780m),
            };
            foreach (var amount in new[] { smallest, large })
            {
                var minor = MinorUnits.FromMajor(amount, currency);
                Assert.Equal(amount, MinorUnits.ToMajor(minor, currency));
                Assert.Equal(amount, Currencies.Round(amount, currency));
            }
        }
    }

    [Fact]
    public void Amounts_stripe_cannot_charge_exactly_are_refused_not_rounded()
    {
        Assert.False(MinorUnits.CanCharge(12.345m, "KWD")); // three-decimal amounts go in steps of ten fils
        Assert.False(MinorUnits.CanCharge(0.5m, "JPY"));
        Assert.False(MinorUnits.CanCharge(10m, "XYZ"));
        Assert.False(MinorUnits.CanCharge(0m, "GBP"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinorUnits.FromMajor(12.345m, "KWD"));
    }

    [Fact]
    public async Task A_currency_stripe_cannot_take_is_refused_in_settings_and_changes_nothing()
    {
        var before = (await Api.GetOkAsync("/api/company")).Str("currency");
        using var refused = await Api.PutAsJsonAsync("/api/company", new { currency = "XYZ" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(RuleCodes.ValidationCurrency, (await refused.ReadJsonAsync()).Str("code"));
        Assert.Equal(before, (await Api.GetOkAsync("/api/company")).Str("currency"));
    }

    [Fact]
    public async Task Three_decimal_and_zero_decimal_invoices_are_charged_and_paid_in_their_own_units()
    {
        try
        {
            // KWD: 10.275 + 20% VAT = 12.330, charged as 12330 fils (a tenth of that before this fix).
            await SetCurrencyAsync("KWD");
            using (var kwd = await portal.InvoiceOpenedByClientAsync(10.275m))
            {
                Assert.Contains("KWD 12.330", kwd.PageHtml);
                await PayByCardAsync(kwd, expectedUnits: "12330", currency: "kwd", charged: 12330);
                var invoice = await Api.GetOkAsync($"/api/invoices/{kwd.InvoiceId}");
                Assert.Equal(("paid", 12.330m, 0m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
            }

            // A KWD balance in single fils cannot be charged by card exactly: not offered, and refused with its code if
            // posted anyway; nothing is recorded.
            using (var odd = await portal.InvoiceOpenedByClientAsync(10.2875m))
            {
                Assert.Contains("Pay by bank transfer", odd.PageHtml);
                Assert.DoesNotContain("name=\"attempt\"", odd.PageHtml); // no card option on the page
                var before = portal.Stripe.Creates.Count;
                using var refused = await PostAsync(odd, "card-checkout", new() { ["attempt"] = Guid.NewGuid().ToString() });
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                Assert.Equal(RuleCodes.PaymentCardAmount, (await refused.ReadJsonAsync()).Str("code"));
                Assert.Equal(before, portal.Stripe.Creates.Count);
                Assert.Empty((await Api.GetOkAsync($"/api/invoices/{odd.InvoiceId}"))["payments"]!.AsArray());
            }

            // JPY: no decimals; 1000.4 rounds to 1000 + 200 VAT = 1200 yen, charged as 1200 (not 120000).
            await SetCurrencyAsync("JPY");
            using (var jpy = await portal.InvoiceOpenedByClientAsync(1000.4m))
            {
                Assert.Contains("JPY 1,200", jpy.PageHtml);
                await PayByCardAsync(jpy, expectedUnits: "1200", currency: "jpy", charged: 1200);
                var invoice = await Api.GetOkAsync($"/api/invoices/{jpy.InvoiceId}");
                Assert.Equal(("paid", 1200m, 0m), (invoice.Str("status"), invoice.Dec("amountPaid"), invoice.Dec("balance")));
            }
        }
        finally
        {
            await SetCurrencyAsync("GBP");
        }
    }

    private async Task SetCurrencyAsync(string currency)
    {
        using var response = await Api.PutAsJsonAsync("/api/company", new { currency });
        response.EnsureSuccessStatusCode();
    }

    private async Task PayByCardAsync(PayingClient paying, string expectedUnits, string currency, long charged)
    {
        var before = portal.Stripe.Creates.Count;
        using var checkout = await PostAsync(paying, "card-checkout", new() { ["attempt"] = StripePortal.AttemptId(paying.PageHtml) });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var url = (await checkout.ReadJsonAsync()).Str("url");
        var form = portal.Stripe.Creates.Skip(before).Single().Form;
        Assert.Equal(expectedUnits, form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal(currency, form["line_items[0][price_data][currency]"]);

        var session = Session(url.Split('/').Last(), NewId("pi"), charged, currency, Metadata(paying.InvoiceId, paying.ProjectId, portal.CompanyId));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(paying.Browser.Http, Event("checkout.session.completed", session)));
    }

    private static Task<HttpResponseMessage> PostAsync(PayingClient paying, string action, Dictionary<string, string> form) =>
        paying.PostActionAsync(action, form);
}
