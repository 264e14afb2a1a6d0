using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Mailbox;

namespace Portal.Tests.Functional.Mail;

/// <summary>Embedded mode: the in-process SMTP server receives what MailKit sends and /dev/mailbox shows it to staff.</summary>
public sealed class DevMailboxTests
{
    private static string EntryPath(PortalTestHost host) =>
        new Uri(host.Services.GetRequiredService<DevMailboxAccess>().EntryUrl).PathAndQuery;

    [Fact]
    public async Task A_sent_quote_lands_in_the_dev_mailbox_with_its_working_link_and_stays_there_after_a_restart()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        string portalUrl, subject, oldEntry;
        Guid quoteId;

        await using (var host = await PortalTestHost.StartAsync(dataDirectory))
        {
            var clientId = await host.Api.CreateClientAsync("Jane Smith", MailApi.UniqueEmail());
            var (projectId, _) = await host.Api.CreateProjectAsync(clientId);
            string quoteNumber;
            (quoteId, quoteNumber) = await host.Api.CreateQuoteAsync(projectId);
            var sent = await host.Api.SendAsync("proposals", quoteId);
            portalUrl = sent.Str("portalUrl");
            subject = $"Quote {quoteNumber} from ";
            await host.Api.WaitForMessageStatusAsync(projectId, Guid.Parse(sent.Str("messageId")), "sent");

            // Staff with the API key see the list; the message is a .eml file in the data directory.
            var list = await host.Api.GetStringAsync("/dev/mailbox");
            Assert.Contains(subject, list);
            Assert.Single(Directory.GetFiles(Path.Combine(dataDirectory, "mailbox"), "*.eml"));

            // The message page lists its links: the portal URL, which opens the quote.
            var id = Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(dataDirectory, "mailbox"), "*.eml").Single());
            var page = await host.Api.GetStringAsync($"/dev/mailbox/{id}");
            Assert.Contains($"href=\"{portalUrl}\"", page);
            Assert.Contains("View quote", page);
            Assert.Contains($"src=\"/dev/mailbox/{id}/html\"", page);
            Assert.Contains("sandbox=\"allow-popups allow-popups-to-escape-sandbox\"", page);
            using var portal = new PortalBrowser(host);
            Assert.Equal($"/portal/proposals/{quoteId}", await portal.EnterAsync(portalUrl));

            // The message's own HTML is served under its own strict policy, framable by the mailbox only.
            using var html = await host.Api.GetAsync($"/dev/mailbox/{id}/html");
            Assert.Equal(HttpStatusCode.OK, html.StatusCode);
            var policy = html.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("sandbox", policy);
            Assert.Contains("frame-ancestors 'self'", policy);
            Assert.Contains("default-src 'none'", policy);
            Assert.Equal("SAMEORIGIN", html.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains(">View quote</a>", await html.Content.ReadAsStringAsync());

            using var raw = await host.Api.GetAsync($"/dev/mailbox/{id}/raw");
            Assert.Equal("message/rfc822", raw.Content.Headers.ContentType?.MediaType);

            // The list page itself keeps the site-wide policy.
            using var listResponse = await host.Api.GetAsync("/dev/mailbox");
            Assert.Contains("frame-ancestors 'none'", listResponse.Headers.GetValues("Content-Security-Policy").Single());
            oldEntry = EntryPath(host);
        }

        await using var again = await PortalTestHost.StartAsync(dataDirectory);
        Assert.Contains(subject, await again.Api.GetStringAsync("/dev/mailbox"));

        // The entry link of the previous start no longer works; this start's does.
        using var browser = new PortalBrowser(again);
        using (var stale = await browser.Http.GetAsync(oldEntry))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        }
        Assert.Equal(DevMailboxAccess.BasePath, await browser.EnterAsync(again.BaseUri + EntryPath(again).TrimStart('/')));
    }

    [Fact]
    public async Task The_dev_mailbox_needs_staff_and_the_banner_link_signs_a_browser_in_with_a_strict_short_cookie()
    {
        await using var host = await PortalTestHost.StartAsync();
        using var anonymous = new PortalBrowser(host);

        var (status, body) = await anonymous.GetAsync("/dev/mailbox");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Dev mailbox", body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dev/mailbox/20260101T000000000-00000000000000000000000000000000/html")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(DevMailboxAccess.EnterPath + "?token=guess")).Status);

        using var entry = await anonymous.Http.GetAsync(EntryPath(host));
        Assert.Equal(HttpStatusCode.SeeOther, entry.StatusCode);
        Assert.Equal(DevMailboxAccess.BasePath, entry.Headers.Location!.OriginalString);
        var cookie = Assert.Single(entry.Headers.GetValues("Set-Cookie"), c => c.StartsWith(DevMailboxAccess.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dev/mailbox", cookie, StringComparison.OrdinalIgnoreCase);
        // A session cookie; the ticket inside also expires after DevMailboxAccess.CookieLifetime.
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);

        var (signedIn, list) = await anonymous.GetAsync("/dev/mailbox");
        Assert.Equal(HttpStatusCode.OK, signedIn);
        Assert.Contains("No messages have been received yet.", list);

        // The mailbox cookie opens the mailbox only, not the staff API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/company")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/dev/mailbox/..%2F..%2Fportal.db")).Status);
    }
}
