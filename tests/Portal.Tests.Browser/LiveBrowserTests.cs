using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Browser;

/// <summary>
/// Live pages in Chromium: a client's open overview and the staff feed change without a reload when staff act
/// or the client acts on another device; an edited quote says so; a revoked link withdraws its page.
/// </summary>
public sealed class LiveBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_open_overview_and_the_staff_feed_update_live_when_the_client_and_staff_act()
    {
        var api = _host.Api;
        await api.PutAsync("/api/company", JsonContent.Create(new { name = "Brightwater Renovations Ltd", brandColour = "#0f766e" }));
        var clientId = await api.CreateClientAsync("Jane Smith");
        var (projectId, number) = await api.CreateProjectAsync(clientId, "Kitchen refit");
        var (quoteId, quoteNumber) = await api.CreateQuoteAsync(projectId);
        await api.SendAsync("proposals", quoteId);
        var (invoiceId, invoiceNumber) = await api.CreateInvoiceAsync(projectId, 1000m);
        var invoiceUrl = (await api.SendAsync("invoices", invoiceId)).Str("portalUrl");
        var quoteLink = await api.PostOkAsync($"/api/clients/{clientId}/portal-links", new { target = "proposal", targetId = quoteId });

        // Staff: the feed page asks the bootstrap admin to sign in, then shows the feed live.
        await using var staffContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 } });
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync($"{_host.BaseUri}staff/feed");
        Assert.Contains("/staff/sign-in", staff.Url);
        await staff.GetByLabel("Email").FillAsync("admin@portal.local");
        await staff.GetByLabel("Password").FillAsync("correct horse battery staple");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await staff.WaitForURLAsync("**/staff/feed");
        await Visible(staff.Locator("#feed-status", new() { HasText = "Live" }));

        // The client's overview, opened from the invoice link (the first open of the invoice is a "viewed").
        await using var clientContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var overview = await clientContext.NewPageAsync();
        await overview.GotoAsync(invoiceUrl);
        await overview.GotoAsync($"{_host.BaseUri}portal/projects/{projectId}");
        await Visible(overview.Locator("html[data-live=connected]"));
        await overview.EvaluateAsync("() => { window.__sameDocument = true; }");

        await Visible(staff.Locator("#feed-list li", new() { HasText = $"Jane Smith viewed Invoice {invoiceNumber}" }));
        await Visible(staff.Locator("#presence-list li", new() { HasText = $"Jane Smith is viewing Project #{number} now" }));

        // Another device of the client opens the quote: the feed says so at once.
        await using var otherDevice = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var quotePage = await otherDevice.NewPageAsync();
        await quotePage.GotoAsync(quoteLink.Str("url"));
        await Visible(staff.Locator("#feed-list li", new() { HasText = $"Jane Smith viewed Quote {quoteNumber}" }));
        await Visible(quotePage.Locator("html[data-live=connected]"));
        // The overview shows the quote as viewed without a reload.
        await Visible(overview.Locator("#live-proposals .badge", new() { HasText = "Viewed" }));

        // Staff record the bank transfer: the overview shows Paid without a reload. How long it took is reported,
        // not asserted (speed is measured by the load generator, not by a test on a shared machine).
        var watch = Stopwatch.StartNew();
        await api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 1200m, method = "bank_transfer", reference = "JS-1" });
        await Visible(overview.Locator("#live-invoices .badge", new() { HasText = "Paid" }));
        var paidAfter = watch.Elapsed;
        await Visible(overview.Locator("#live-payments", new() { HasText = "£1,200.00" }));
        await Visible(staff.Locator("#feed-list li", new() { HasText = $"Jane Smith paid £1,200.00 on {invoiceNumber}" }));
        output.WriteLine($"API call to 'Paid' on the open overview: {paidAfter.TotalMilliseconds:0} ms");
        await Screenshot(overview, "10-live-overview-paid");
        await Screenshot(staff, "11-live-staff-feed");

        // Staff edit the quote the other device has open: it says so, and shows the new lines.
        using (var edit = await api.PutAsync($"/api/proposals/{quoteId}", JsonContent.Create(new
        {
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = new[] { new { description = "Supply and fit units (revised)", quantity = 12m, unitPrice = 185m, vatRate = 20m } },
        })))
        {
            edit.EnsureSuccessStatusCode();
        }
        await Visible(quotePage.Locator("#live-notice[aria-live=polite]", new() { HasText = "This quote has been updated — review it again" }));
        await Visible(quotePage.Locator("#live-document", new() { HasText = "Supply and fit units (revised)" }));
        await Screenshot(quotePage, "12-live-quote-updated");

        // The other device signs the updated quote (typed): the open overview and the staff feed follow.
        await quotePage.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).First.ClickAsync();
        var dialog = quotePage.GetByRole(AriaRole.Dialog, new() { Name = "Sign to accept" });
        await dialog.GetByRole(AriaRole.Tab, new() { Name = "Type" }).ClickAsync();
        await dialog.GetByLabel("Type your full name").FillAsync("Jane Smith");
        await dialog.GetByLabel("I agree to the terms of business").CheckAsync();
        watch.Restart();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync();
        await Visible(overview.Locator("#live-proposals .badge", new() { HasText = "Accepted" }));
        output.WriteLine($"Signing click to 'Accepted' on the open overview: {watch.Elapsed.TotalMilliseconds:0} ms");
        await Visible(dialog.GetByRole(AriaRole.Heading, new() { Name = "Thank you for accepting!" }));
        await Visible(staff.Locator("#feed-list li", new() { HasText = $"Jane Smith accepted Quote {quoteNumber} · £2,664.00" }));
        await Screenshot(staff, "14-live-staff-feed-accepted");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "View the signed quote" }).ClickAsync();

        // The project is completed: the overview's status changes too; still the same document.
        await api.PostOkAsync($"/api/projects/{projectId}/complete", null, System.Net.HttpStatusCode.OK);
        await Visible(overview.Locator("#live-project-status .badge", new() { HasText = "Complete" }));
        Assert.True(await overview.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the overview must not reload");

        // Revoking the other device's link withdraws that page, and only that one.
        using (var revoke = await api.DeleteAsync($"/api/portal-links/{quoteLink.Id()}"))
        {
            revoke.EnsureSuccessStatusCode();
        }
        await Visible(quotePage.Locator("#live-notice", new() { HasText = "access through this link has been withdrawn" }));
        await Screenshot(quotePage, "13-live-access-withdrawn");
        Assert.Equal("connected", await overview.Locator("html").GetAttributeAsync("data-live"));

        // Closing the overview ends the presence line.
        await overview.CloseAsync();
        await staff.Locator("#presence-list li", new() { HasText = $"Project #{number}" })
            .WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
    }

    private static Task Visible(ILocator locator) =>
        locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
