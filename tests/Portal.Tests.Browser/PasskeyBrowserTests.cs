using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// Passkeys in Chromium with its virtual authenticator (DevTools protocol <c>WebAuthn</c>): a new owner adds a passkey
/// named "Laptop" under Security, signs out, signs in with it without typing anything, and once it is removed it no
/// longer signs in. WebAuthn needs a domain as relying party id, so the browser speaks to <c>localhost</c>.
/// </summary>
public sealed class PasskeyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    [Trait("Category", "Security")]
    public async Task A_passkey_added_under_Security_signs_in_from_the_sign_in_page_until_it_is_removed()
    {
        var root = $"http://localhost:{_host.BaseUri.Port}";
        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 } });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        await page.GotoAsync($"{root}/staff/sign-up");
        await page.GetByLabel("Company name").FillAsync("Keyhole Joinery");
        await page.GetByLabel("Your name").FillAsync("Priya Shah");
        await page.GetByLabel("Email").FillAsync("priya@keyhole.example");
        await page.GetByLabel("Password").FillAsync("a long enough passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/feed");

        await page.GotoAsync($"{root}/staff/security");
        await Visible(page.GetByText("You have no passkeys yet."));
        await page.GetByLabel("Passkey name").FillAsync("Laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/security?done=added");
        var row = page.Locator("#passkeys tbody tr", new() { HasText = "Laptop" });
        await Visible(row);
        Assert.Contains("Never", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "staff-security.png"), FullPage = true });
        // The owner's team page, for the record (its behaviour is tested over HTTP in StaffInvitationTests).
        await page.GotoAsync($"{root}/staff/team");
        await Visible(page.GetByText("priya@keyhole.example"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "staff-team.png"), FullPage = true });
        await page.GotoAsync($"{root}/staff/security");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/staff/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/feed");

        // Signed in as Priya: Security shows the passkey as used.
        await page.GotoAsync($"{root}/staff/security");
        row = page.Locator("#passkeys tbody tr", new() { HasText = "Laptop" });
        await Visible(row);
        Assert.DoesNotContain("Never", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "20-security-passkeys.png"), FullPage = true });

        // Removed: the authenticator still offers it, and the server refuses it at once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey Laptop" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/security?done=removed");
        await Visible(page.GetByText("You have no passkeys yet."));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/staff/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Visible(page.Locator("#passkey-sign-in-error", new() { HasText = "did not sign you in" }));
        Assert.Contains("/staff/sign-in", page.Url, StringComparison.Ordinal);
    }

    private static Task Visible(ILocator locator) =>
        locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
}
