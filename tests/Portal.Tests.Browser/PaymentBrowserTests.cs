using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>"Make a payment" in a real browser: bank details on request, and card through the fake Stripe checkout.</summary>
public sealed class PaymentBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly StripePortal _portal = new();

    public Task InitializeAsync() => _portal.InitializeAsync();

    public Task DisposeAsync() => _portal.DisposeAsync();

    // Script errors and CSP violations show up on the console; a payment page must have none.
    private readonly List<string> _consoleErrors = [];

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(string url, int width = 1280)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // Browsers ask every site for /favicon.ico by themselves; the portal has none.
            if (message.Type is "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add($"{message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_consoleErrors)
            {
                _consoleErrors.Add(error);
            }
        };
        await page.GotoAsync(url);
        return (context, page);
    }

    private void AssertNoConsoleErrors()
    {
        lock (_consoleErrors)
        {
            Assert.True(_consoleErrors.Count == 0, "Console errors: " + string.Join(" | ", _consoleErrors));
        }
    }

    [Fact]
    public async Task Bank_transfer_details_appear_only_after_the_client_asks_for_them()
    {
        using var paying = await _portal.InvoiceOpenedByClientAsync();
        var (context, page) = await OpenAsync(paying.PortalUrl);
        await using var _ = context;

        Assert.DoesNotContain(StripePortal.AccountNumber, await page.ContentAsync());
        Assert.DoesNotContain(StripePortal.SortCode, await page.ContentAsync());
        await Screenshot(page, "pay-01-invoice");

        await page.GetByRole(AriaRole.Button, new() { Name = "Make a payment" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Make a payment" });
        await Expect(dialog);
        Assert.Contains("£1,200.00", await dialog.InnerTextAsync());
        Assert.DoesNotContain(StripePortal.AccountNumber, await page.ContentAsync());
        await Screenshot(page, "pay-02-dialog");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Pay by bank transfer" }).ClickAsync();
        var details = page.Locator("#bank-details");
        await Expect(details);
        var text = await details.InnerTextAsync();
        foreach (var expected in new[] { StripePortal.AccountName, StripePortal.SortCode, StripePortal.AccountNumber, StripePortal.Iban, StripePortal.Bic, paying.Number, "£1,200.00" })
        {
            Assert.Contains(expected, text);
        }
        await Screenshot(page, "pay-03-bank-details");

        // Phones: the pop-up fits 360 px.
        await page.SetViewportSizeAsync(360, 800);
        Assert.True(await details.EvaluateAsync<bool>("d => { const box = d.closest('dialog').getBoundingClientRect(); return box.left >= 0 && box.right <= 360; }"));
        await Screenshot(page, "pay-04-bank-details-360px", fullPage: false);

        var activity = (await _portal.Api.GetOkAsync($"/api/projects/{paying.ProjectId}/activity")).AsArray();
        Assert.Single(activity, e => e!.Str("type") == ActivityTypes.BankDetailsRevealed);
        AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Card_payment_goes_through_checkout_and_the_invoice_shows_processing_then_paid_and_the_overview_lists_it()
    {
        using var paying = await _portal.InvoiceOpenedByClientAsync();
        var (context, page) = await OpenAsync(paying.PortalUrl);
        await using var _ = context;
        _portal.Stripe.HoldWebhooks = true;

        await page.GetByRole(AriaRole.Button, new() { Name = "Make a payment" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay by card" }).ClickAsync();
        await page.WaitForURLAsync($"{_portal.Stripe.ApiBase}/checkout/**");
        Assert.Contains("GBP 1200.00", await page.InnerTextAsync("#amount"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();

        // Back on the invoice before Stripe's webhook: processing, and then paid without a reload.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/portal/invoices/{paying.InvoiceId}\\?checkout=success&session_id=cs_"));
        await Expect(page.GetByText("Payment processing"));
        await Screenshot(page, "pay-05-processing");
        await _portal.Stripe.ReleaseWebhooksAsync();
        Assert.All(_portal.Stripe.WebhookAnswers, a => Assert.Equal(System.Net.HttpStatusCode.OK, a));
        await page.Locator("#invoice-status[data-status=Paid]").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await page.GetByText("Payment processing").CountAsync());
        Assert.Contains("Thank you", await page.InnerTextAsync("#invoice-live"));
        Assert.Contains("Card", await page.InnerTextAsync("#invoice-payments"));
        await Screenshot(page, "pay-06-paid");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Project #{paying.ProjectNumber} overview" }).ClickAsync();
        var invoices = page.Locator("section[aria-labelledby=invoices-title]");
        await Expect(invoices);
        Assert.Contains(paying.Number, await invoices.InnerTextAsync());
        Assert.Contains("Paid", await invoices.InnerTextAsync());
        var payments = await page.Locator("section[aria-labelledby=payments-title]").InnerTextAsync();
        Assert.Contains("£1,200.00", payments);
        Assert.Contains("Paid", payments);
        await Screenshot(page, "pay-07-overview");

        await page.SetViewportSizeAsync(360, 800);
        await page.GotoAsync($"{_portal.Host.BaseUri}portal/invoices/{paying.InvoiceId}");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"),
            "the paid invoice must not scroll sideways at 360 px");
        await Screenshot(page, "pay-08-paid-360px");
        AssertNoConsoleErrors();
    }

    private static async Task Expect(ILocator locator) =>
        await locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });

    private static Task Screenshot(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = fullPage });
}
