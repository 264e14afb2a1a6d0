using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Mailbox;

namespace Portal.Tests.Browser;

/// <summary>The client's way in is the email: Chromium follows the link from a message the SMTP server received.</summary>
public sealed partial class EmailBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Chromium_follows_the_url_in_the_received_email_and_sees_the_quote()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var host = await PortalTestHost.StartAsync(settings: MailHostFixture.SmtpSettings(smtp.Port));
        await MailHostFixture.BrandAsync(host.Api);
        var email = MailApi.UniqueEmail();
        var clientId = await host.Api.CreateClientAsync("Jane Smith", email);
        var (projectId, _) = await host.Api.CreateProjectAsync(clientId);
        var (quoteId, quoteNumber) = await host.Api.CreateQuoteAsync(projectId);

        await host.Api.SendAsync("proposals", quoteId);
        var mail = await smtp.WaitForAsync(email);

        // The plain URL below the button, as a client would copy it, is the button's address too.
        var plainUrl = PlainUrl().Match(mail.Text.ReplaceLineEndings("\n")).Groups["url"].Value;
        var buttonUrl = Button().Match(mail.Html).Groups["url"].Value;
        Assert.StartsWith(host.BaseUri + "p/", plainUrl);
        Assert.Equal(plainUrl, System.Net.WebUtility.HtmlDecode(buttonUrl));

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(plainUrl);

        Assert.EndsWith($"/portal/proposals/{quoteId}", page.Url);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Quote {quoteNumber}" }));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }));
        await Screenshot(page, "email-01-quote-from-email");
    }

    [Fact]
    public async Task The_dev_mailbox_shows_the_email_as_the_client_sees_it_and_its_link_opens_the_quote()
    {
        await using var host = await PortalTestHost.StartAsync();
        await MailHostFixture.BrandAsync(host.Api);
        var clientId = await host.Api.CreateClientAsync("Jane Smith", MailApi.UniqueEmail());
        var (projectId, _) = await host.Api.CreateProjectAsync(clientId);
        var (quoteId, quoteNumber) = await host.Api.CreateQuoteAsync(projectId);
        var sent = await host.Api.SendAsync("proposals", quoteId);
        var portalUrl = sent.Str("portalUrl");
        await host.Api.WaitForMessageStatusAsync(projectId, Guid.Parse(sent.Str("messageId")), "sent");

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 1000 } });
        // The logo lives on a host this machine cannot reach; fail it at once rather than wait for DNS.
        var portalOrigin = host.BaseUri.GetLeftPart(UriPartial.Authority);
        await context.RouteAsync(url => !url.StartsWith(portalOrigin, StringComparison.Ordinal), route => route.AbortAsync());
        var page = await context.NewPageAsync();
        // The link printed in the banner signs the browser in and drops the token from the address.
        await page.GotoAsync(host.Services.GetRequiredService<DevMailboxAccess>().EntryUrl);
        Assert.EndsWith("/dev/mailbox", page.Url);
        await Screenshot(page, "email-02-dev-mailbox");

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^Quote {quoteNumber} from") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex($"^Quote {quoteNumber} from") }));
        // The HTML is rendered in its sandboxed frame with the button.
        var frame = page.FrameLocator("iframe.message-html");
        await Expect(frame.GetByRole(AriaRole.Link, new() { Name = "View quote" }));
        await Expect(frame.GetByText("VAT number: GB 123 4567 89"));
        await Screenshot(page, "email-03-dev-mailbox-message");

        var quotePage = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Link, new() { Name = portalUrl }).ClickAsync());
        await quotePage.WaitForURLAsync($"**/portal/proposals/{quoteId}");
        await Expect(quotePage.GetByRole(AriaRole.Heading, new() { Name = $"Quote {quoteNumber}" }));
    }

    private static async Task Expect(ILocator locator) =>
        await locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    [GeneratedRegex("View quote:\\n(?<url>https?://\\S+)")]
    private static partial Regex PlainUrl();

    [GeneratedRegex("class=\"button\" href=\"(?<url>[^\"]+)\"")]
    private static partial Regex Button();
}
