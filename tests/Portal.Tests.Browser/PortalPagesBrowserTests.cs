using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>A client follows an emailed link in a real browser and walks the portal, as product.md describes it.</summary>
public sealed class PortalPagesBrowserTests : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private PortalTestHost _host = null!;

    public PortalPagesBrowserTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_client_follows_a_quote_link_and_walks_the_document_overview_all_projects_and_footer()
    {
        var api = _host.Api;
        await api.PutAsync("/api/company", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Brightwater Renovations Ltd",
            vatNumber = "GB 123 4567 89",
            companyRegistrationNumber = "09876543",
            accreditations = new[] { "Gas Safe Registered 512345", "TrustMark" },
            brandColour = "#0f766e",
        }));
        var clientId = await api.CreateClientAsync("Jane Smith");
        var (projectId, number) = await api.CreateProjectAsync(clientId, "Kitchen refit");
        var (quoteId, quoteNumber) = await api.CreateQuoteAsync(projectId);
        var quoteUrl = (await api.SendAsync("proposals", quoteId)).Str("portalUrl");
        var startsAt = DateTimeOffset.UtcNow.AddDays(5);
        await api.PostOkAsync($"/api/projects/{projectId}/events", new { name = "Site survey", startsAt, endsAt = startsAt.AddHours(2) });
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent("Measure the walls"u8.ToArray()) { Headers = { ContentType = new("text/plain") } }, "file", "Survey checklist.txt");
            (await api.PostAsync($"/api/projects/{projectId}/files", form)).EnsureSuccessStatusCode();
        }
        var (invoiceId, invoiceNumber) = await api.CreateInvoiceAsync(projectId, 1000m);
        await api.SendAsync("invoices", invoiceId);
        await api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 200m, method = "bank_transfer" });
        var (oldProject, oldNumber) = await api.CreateProjectAsync(clientId, "Bathroom");
        await api.PostOkAsync($"/api/projects/{oldProject}/complete", null, System.Net.HttpStatusCode.OK);

        await using var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        // The link lands on the document, with no token left in the address bar.
        await page.GotoAsync(quoteUrl);
        Assert.EndsWith($"/portal/proposals/{quoteId}", page.Url);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Quote {quoteNumber}" }));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Terms of business" }));
        Assert.Contains("£5,988.00", await page.InnerTextAsync(".totals"));
        await Screenshot(page, "01-quote");

        // Keyboard reaches the primary action.
        var signButton = page.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" });
        await signButton.FocusAsync();
        Assert.True(await signButton.EvaluateAsync<bool>("b => document.activeElement === b"));

        // "Project #N overview" opens the overview with the five sections, in order.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Project #{number} overview" }).ClickAsync();
        await page.WaitForURLAsync($"**/portal/projects/{projectId}");
        var headings = await page.Locator("main section.card h2").AllInnerTextsAsync();
        Assert.Equal(new[] { "Proposals", "Your bookings", "Shared files", "Invoices", "Payments" }, headings.ToArray());
        var proposals = page.Locator("section[aria-labelledby=proposals-title]");
        Assert.Contains("Received", await proposals.InnerTextAsync());
        Assert.Contains("Valid until", await proposals.InnerTextAsync());
        Assert.Contains("Site survey", await page.Locator("section[aria-labelledby=bookings-title]").InnerTextAsync());
        var invoices = page.Locator("section[aria-labelledby=invoices-title]");
        Assert.Contains(invoiceNumber, await invoices.InnerTextAsync());
        Assert.Contains("Partially paid", await invoices.InnerTextAsync());
        Assert.Contains("£1,200.00", await invoices.InnerTextAsync());
        var payments = page.Locator("section[aria-labelledby=payments-title]");
        Assert.Contains("£200.00", await payments.InnerTextAsync());

        // The footer carries the company's accreditations, VAT number and registration number.
        var footer = await page.InnerTextAsync("footer");
        Assert.Contains("VAT number: GB 123 4567 89", footer);
        Assert.Contains("Company registration number: 09876543", footer);
        Assert.Contains("Gas Safe Registered 512345", footer);
        await Screenshot(page, "02-project-overview");

        // The download icon downloads the shared file.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download Survey checklist.txt" }).ClickAsync());
        Assert.Equal("Survey checklist.txt", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        await download.SaveAsAsync(saved);
        Assert.Equal("Measure the walls", await File.ReadAllTextAsync(saved));

        // The invoice opens from its number.
        await invoices.GetByRole(AriaRole.Link, new() { Name = invoiceNumber, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Make a payment" }));
        await Screenshot(page, "03-invoice");

        // "All Projects" lists open projects; the "Complete" tab lists historic ones.
        await page.GetByRole(AriaRole.Link, new() { Name = "All Projects", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Project #{number} overview" }));
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = $"Project #{oldNumber} overview" }).CountAsync());
        await Screenshot(page, "04-all-projects");
        await page.GetByRole(AriaRole.Link, new() { Name = "Complete", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Project #{oldNumber} overview" }));
        await Screenshot(page, "05-all-projects-complete");

        // Phones: 360 px wide, nothing overflows sideways.
        await page.SetViewportSizeAsync(360, 800);
        await page.GotoAsync($"{_host.BaseUri}portal/projects/{projectId}");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "the overview must not scroll sideways at 360 px");
        await Screenshot(page, "06-overview-360px");
        await page.GotoAsync($"{_host.BaseUri}portal/proposals/{quoteId}");
        overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "the quote must not scroll sideways at 360 px");
        await Screenshot(page, "07-quote-360px");
    }

    private static async Task Expect(ILocator locator) =>
        await locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
