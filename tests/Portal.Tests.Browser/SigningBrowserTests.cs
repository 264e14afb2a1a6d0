using System.Buffers.Binary;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A client signs in headless Chromium: draws a signature with real mouse moves, types one on another quote,
/// declines a third, and sees the signed quote. Screenshots go to artifacts/screenshots (sign-*.png).
/// </summary>
public sealed class SigningBrowserTests : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private PortalTestHost _host = null!;

    public SigningBrowserTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _host = await PortalTestHost.StartAsync();
        using var company = await _host.Api.PutAsync("/api/company", JsonContent.Create(new
        {
            name = "Brightwater Renovations Ltd",
            brandColour = "#0f766e",
            termsText = "Payment within 14 days of completion.\nAll work guaranteed for 12 months.",
            vatNumber = "GB 123 4567 89",
        }));
        company.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Api => _host.Api;

    private async Task<(Guid ClientId, Guid ProjectId, List<(Guid Id, string Number, string Url)> Quotes)> ClientWithQuotesAsync(int count)
    {
        var clientId = await Api.CreateClientAsync("Jane Smith");
        var (projectId, _) = await Api.CreateProjectAsync(clientId, "Kitchen refit");
        var quotes = new List<(Guid, string, string)>();
        for (var i = 0; i < count; i++)
        {
            var (id, number) = await Api.CreateQuoteAsync(projectId);
            quotes.Add((id, number, (await Api.SendAsync("proposals", id)).Str("portalUrl")));
        }
        return (clientId, projectId, quotes);
    }

    [Fact]
    public async Task A_client_draws_a_signature_with_the_mouse_accepts_and_sees_the_signed_quote()
    {
        var (_, projectId, quotes) = await ClientWithQuotesAsync(1);
        var (quoteId, quoteNumber, url) = quotes[0];
        // Twice the pixels per CSS pixel, as on most phones and laptops: the pad must scale its canvas.
        await using var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 }, DeviceScaleFactor = 2 });
        var page = await context.NewPageAsync();
        var consoleErrors = CollectErrors(page);
        await page.GotoAsync(url);

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Sign to accept" });
        var opener = page.Locator("#sign-to-accept");

        // Opens by keyboard, keeps focus inside, and Esc closes it with focus back on the button.
        await opener.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('sign-dialog').matches(':modal')"));
        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('sign-dialog').contains(document.activeElement)"), $"focus left the pop-up after {i + 1} Tab presses");
        }
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('sign-dialog').contains(document.activeElement)"));
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        Assert.True(await opener.EvaluateAsync<bool>("b => document.activeElement === b"));

        await opener.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Tab, new() { Name = "Draw" })).ToHaveAttributeAsync("aria-selected", "true");
        await Screenshot(page, "sign-01-dialog-empty", fullPage: false);

        // Without a signature or consent the pop-up says what to do.
        var submit = dialog.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" });
        await submit.ClickAsync();
        await Expect(dialog.Locator("#sign-error")).ToContainTextAsync("Draw your signature");

        var canvas = dialog.Locator("canvas");
        var box = (await canvas.BoundingBoxAsync())!;
        Assert.Equal(box.Width * 2, await canvas.EvaluateAsync<double>("c => c.width"), 1.0);
        await DrawSignatureAsync(page, box);
        Assert.True(await canvas.EvaluateAsync<bool>(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; } return false; }"),
            "the mouse strokes left no ink on the canvas");

        await submit.ClickAsync();
        await Expect(dialog.Locator("#sign-error")).ToContainTextAsync("I agree to the terms of business");
        var consent = dialog.GetByLabel("I agree to the terms of business");
        await consent.CheckAsync();
        await Expect(dialog.Locator("#sign-error")).ToBeEmptyAsync();
        await Expect(dialog.GetByRole(AriaRole.Link, new() { Name = "terms of business" })).ToHaveAttributeAsync("href", "/portal/terms?version=1");
        await Screenshot(page, "sign-02-dialog-drawn", fullPage: false);

        await submit.ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Thank you for accepting!" })).ToBeVisibleAsync();
        await Screenshot(page, "sign-03-thank-you", fullPage: false);

        await dialog.GetByRole(AriaRole.Button, new() { Name = "View the signed quote" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var block = page.Locator("#proposal-signature");
        await Expect(block.GetByRole(AriaRole.Heading, new() { Name = "Accepted and signed" })).ToBeVisibleAsync();
        var image = block.GetByRole(AriaRole.Img, new() { Name = "Signature of Jane Smith" });
        await Expect(image).ToBeVisibleAsync();
        Assert.True(await image.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), "the signature image did not load");
        await Expect(block).ToContainTextAsync("Jane Smith");
        await Expect(block.Locator(".signed-at")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST)$"));
        await Expect(page.Locator("#proposal-summary .badge")).ToHaveTextAsync("Accepted");
        await Expect(page.Locator("#proposal-document .document-status")).ToHaveTextAsync("Accepted");
        await Expect(page.Locator("#sign-to-accept")).ToHaveCountAsync(0);
        await Screenshot(page, "sign-04-signed-quote-drawn");

        // Staff see the evidence: the PNG the pad drew, at the device's pixel ratio, and the chain verifies.
        var evidence = (await Api.GetOkAsync($"/api/proposals/{quoteId}"))["acceptance"]!;
        Assert.Equal("drawn", evidence.Str("method"));
        var png = Convert.FromBase64String(evidence.Str("drawnPng"));
        Assert.Equal(box.Width * 2, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4)), 1.0);
        Assert.Equal(box.Height * 2, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4)), 1.0);
        Assert.Contains("HeadlessChrome", evidence.Str("userAgent"));
        var verify = await Api.GetOkAsync($"/api/projects/{projectId}/activity/verify");
        Assert.True(verify["ok"]!.GetValue<bool>());

        // A reload shows the same signed quote; the client can go back to the portal's main page.
        await page.ReloadAsync();
        await Expect(page.Locator("#proposal-signature img")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to All Projects" }).ClickAsync();
        await page.WaitForURLAsync("**/portal/projects");
        Assert.Empty(consoleErrors);
        _ = quoteNumber;
    }

    [Fact]
    public async Task A_client_types_a_signature_after_a_changed_quote_is_reviewed_again_and_it_fits_a_phone()
    {
        var (_, _, quotes) = await ClientWithQuotesAsync(2);
        var (quoteId, _, url) = quotes[1];
        await using var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 360, Height = 780 }, DeviceScaleFactor = 3, HasTouch = true });
        var page = await context.NewPageAsync();
        var consoleErrors = CollectErrors(page);
        await page.GotoAsync(url);
        await Screenshot(page, "sign-05-quote-360px");

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Sign to accept" });
        await page.Locator("#sign-to-accept").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        var typeTab = dialog.GetByRole(AriaRole.Tab, new() { Name = "Type" });
        // Arrow keys move between the tabs, as in any tab list.
        await dialog.GetByRole(AriaRole.Tab, new() { Name = "Draw" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(typeTab).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(dialog.Locator("canvas")).ToBeHiddenAsync();

        var name = dialog.GetByLabel("Type your full name");
        await name.FillAsync("Jane Smith");
        var preview = dialog.Locator("#sign-typed-preview");
        await Expect(preview).ToHaveTextAsync("Jane Smith");
        Assert.Contains("Portal Signature", await preview.EvaluateAsync<string>("p => getComputedStyle(p).fontFamily"));
        Assert.True(await page.EvaluateAsync<bool>("async () => { await document.fonts.load('40px \"Portal Signature\"', 'Jane'); return document.fonts.check('40px \"Portal Signature\"', 'Jane'); }"),
            "the handwriting font did not load from /lib");
        await dialog.GetByLabel("I agree to the terms of business").CheckAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"));
        await Screenshot(page, "sign-06-dialog-typed-360px", fullPage: false);

        // Staff change the quote while the pop-up is open: signing the old version is refused in the pop-up.
        using (var edit = await Api.PutAsJsonAsync($"/api/proposals/{quoteId}", new
        {
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(45).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = new[] { new { description = "Supply and fit units", quantity = 15m, unitPrice = 185m, vatRate = 20m } },
        }))
        {
            edit.EnsureSuccessStatusCode();
        }
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync();
        await Expect(dialog.Locator("#sign-error")).ToHaveTextAsync("This quote has changed — review it again.");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" })).ToBeHiddenAsync();
        await Screenshot(page, "sign-07-changed-360px", fullPage: false);
        await dialog.GetByRole(AriaRole.Link, new() { Name = "Review it again" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#sign-to-accept")).ToHaveAttributeAsync("data-version", "2");
        await Expect(page.Locator("#proposal-document")).ToContainTextAsync("£3,330.00");

        // A form that shows other terms than the quote was sent with is refused the same way, and nothing is signed.
        await page.Locator("#sign-to-accept").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { document.getElementById('sign-terms-version').value = '2'; }");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync();
        await Expect(dialog.Locator("#sign-error")).ToHaveTextAsync("The terms have changed since you opened this page. Please review them again before signing.");
        await dialog.GetByRole(AriaRole.Link, new() { Name = "Review it again" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        // Still open (Sent again since the edit), with no acceptance.
        var refused = await Api.GetOkAsync($"/api/proposals/{quoteId}");
        Assert.Equal("sent", refused.Str("status"));
        Assert.Null(refused["acceptance"]);

        // Signing the reviewed version works, and the form posts the terms version the quote was sent with.
        await page.Locator("#sign-to-accept").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(typeTab).ToHaveAttributeAsync("aria-selected", "true");
        var posted = await page.RunAndWaitForRequestAsync(
            () => dialog.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith($"/portal/proposals/{quoteId}/accept", StringComparison.Ordinal));
        Assert.Contains("name=\"termsVersion\"\r\n\r\n1\r\n", posted.PostData);
        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Thank you for accepting!" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        var block = page.Locator("#proposal-signature");
        await Expect(block.Locator(".typed-signature")).ToHaveTextAsync("Jane Smith");
        Assert.Contains("Portal Signature", await block.Locator(".typed-signature").EvaluateAsync<string>("p => getComputedStyle(p).fontFamily"));
        await Expect(block.Locator(".signed-at")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("GMT|BST"));
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"), "the signed quote must not scroll sideways at 360 px");
        await Screenshot(page, "sign-08-signed-quote-typed-360px");

        var evidence = (await Api.GetOkAsync($"/api/proposals/{quoteId}"))["acceptance"]!;
        Assert.Equal("typed", evidence.Str("method"));
        Assert.Equal("Jane Smith", evidence.Str("typedName"));
        Assert.Equal(2, evidence["documentVersion"]!.GetValue<int>());
        Assert.Equal(1, evidence["consentVersion"]!.GetValue<int>());
        // The two refused attempts are the only failed requests the page saw.
        Assert.All(consoleErrors, e => Assert.Contains("409", e));
    }

    [Fact]
    public async Task A_client_declines_a_quote_with_a_reason()
    {
        var (_, _, quotes) = await ClientWithQuotesAsync(3);
        var (quoteId, _, url) = quotes[2];
        await using var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);

        await page.GetByText("Decline this quote", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("Are you sure you want to decline this quote?")).ToBeVisibleAsync();
        await page.GetByLabel("Reason (optional)").FillAsync("We went with <another> company");
        await Screenshot(page, "sign-09-decline-confirm", fullPage: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Decline quote" }).ClickAsync();

        await page.WaitForURLAsync($"**/portal/proposals/{quoteId}?done=declined");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You declined this quote");
        await Expect(page.Locator("#proposal-summary .badge")).ToHaveTextAsync("Declined");
        await Expect(page.Locator("#proposal-summary .reason-text")).ToHaveTextAsync("We went with <another> company");
        await Expect(page.Locator("#sign-to-accept")).ToHaveCountAsync(0);
        await Screenshot(page, "sign-10-declined");
        var proposal = await Api.GetOkAsync($"/api/proposals/{quoteId}");
        Assert.Equal("declined", proposal.Str("status"));
        Assert.Equal("We went with <another> company", proposal.Str("declineReason"));
    }

    [Fact]
    public async Task Without_JavaScript_a_typed_signature_still_accepts_the_quote()
    {
        var (_, _, quotes) = await ClientWithQuotesAsync(1);
        var (quoteId, _, url) = quotes[0];
        await using var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync();
        await page.WaitForURLAsync("**sign=1**");
        var form = page.Locator("#sign-form");
        await Expect(form).ToBeVisibleAsync();
        await Expect(form.Locator("canvas")).ToBeHiddenAsync();
        await Expect(form.GetByRole(AriaRole.Tab)).ToHaveCountAsync(0);
        await Expect(form.Locator("#sign-typed-preview")).ToBeHiddenAsync();
        await form.GetByLabel("Type your full name").FillAsync("Jane Smith");
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync();
        await Expect(form.Locator("#sign-error")).ToContainTextAsync("I agree to the terms of business");
        await form.GetByLabel("Type your full name").FillAsync("Jane Smith");
        await form.GetByLabel("I agree to the terms of business").CheckAsync();
        await Screenshot(page, "sign-11-no-script-form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign to accept" }).ClickAsync();

        await page.WaitForURLAsync($"**/portal/proposals/{quoteId}?done=accepted");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Thank you for accepting!");
        await Expect(page.Locator("#proposal-signature .typed-signature")).ToHaveTextAsync("Jane Smith");
        Assert.Equal("accepted", (await Api.GetOkAsync($"/api/proposals/{quoteId}")).Str("status"));
    }

    /// <summary>A signature-like path: a looping first stroke and an underline, as real mouse moves.</summary>
    private static async Task DrawSignatureAsync(IPage page, LocatorBoundingBoxResult box)
    {
        var mouse = page.Mouse;
        float X(double f) => (float)(box.X + box.Width * f);
        float Y(double f) => (float)(box.Y + box.Height * f);

        await mouse.MoveAsync(X(0.12), Y(0.62));
        await mouse.DownAsync();
        var points = new (double X, double Y)[]
        {
            (0.16, 0.30), (0.20, 0.62), (0.25, 0.35), (0.30, 0.60), (0.36, 0.42), (0.40, 0.58), (0.46, 0.32),
            (0.50, 0.60), (0.56, 0.45), (0.62, 0.58), (0.68, 0.36), (0.72, 0.62), (0.80, 0.48),
        };
        foreach (var (x, y) in points)
        {
            await mouse.MoveAsync(X(x), Y(y), new MouseMoveOptions { Steps = 6 });
        }
        await mouse.UpAsync();

        await mouse.MoveAsync(X(0.15), Y(0.74));
        await mouse.DownAsync();
        await mouse.MoveAsync(X(0.78), Y(0.70), new MouseMoveOptions { Steps = 20 });
        await mouse.UpAsync();
    }

    private static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // Chromium asks for /favicon.ico on its own; the portal has none.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    private static Task Screenshot(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = fullPage });
}
