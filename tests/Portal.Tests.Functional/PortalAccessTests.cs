using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>Link entry, the session it starts, and who may see what.</summary>
public sealed class PortalAccessTests : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ShiftedClock _clock = new();
    private PortalTestHost _host = null!;

    private HttpClient Api => _host.Api;

    public async Task InitializeAsync() =>
        _host = await PortalTestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            configure: b =>
            {
                b.Logging.AddProvider(_logs);
                b.Services.AddSingleton<TimeProvider>(_clock);
            });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    private async Task<(Guid Client, Guid Project, Guid Quote, string QuoteUrl, Guid Invoice, string InvoiceUrl)> SentDocumentsAsync()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        var quoteUrl = (await Api.SendAsync("proposals", quoteId)).Str("portalUrl");
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);
        var invoiceUrl = (await Api.SendAsync("invoices", invoiceId)).Str("portalUrl");
        return (clientId, projectId, quoteId, quoteUrl, invoiceId, invoiceUrl);
    }

    [Fact]
    public async Task A_valid_link_sets_a_safe_session_cookie_and_redirects_to_the_document_without_the_token()
    {
        var docs = await SentDocumentsAsync();
        using var http = _host.CreateClient(followRedirects: false, cookies: new CookieContainer());
        var token = docs.QuoteUrl.Split("/p/")[1];

        using var entry = await http.GetAsync($"/p/{token}");
        Assert.Equal(HttpStatusCode.SeeOther, entry.StatusCode);
        var location = entry.Headers.Location!.OriginalString;
        Assert.Equal($"/portal/proposals/{docs.Quote}", location);
        Assert.DoesNotContain(token, location);

        var cookie = Assert.Single(entry.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase); // plain HTTP here
        Assert.Equal("no-referrer", entry.Headers.GetValues("Referrer-Policy").Single());

        using var page = await http.GetAsync(location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sign to accept", html);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);

        Assert.DoesNotContain(_logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task No_link_token_reaches_any_log_line_scope_or_exception_on_entry_refusal_or_failure()
    {
        var clientId = await Api.CreateClientAsync();
        var valid = (await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null)).Str("url");
        var revoked = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using (await Api.DeleteAsync($"/api/portal-links/{revoked.Id()}"))
        {
        }
        var unknown = "unknown-token-" + Guid.NewGuid().ToString("N");
        var tokens = new[] { valid.Split("/p/")[1], revoked.Str("url").Split("/p/")[1], unknown };

        using var browser = new PortalBrowser(_host);
        foreach (var token in tokens)
        {
            await browser.GetAsync($"/p/{token}");
            await browser.GetAsync($"/p/{token}/more");
        }

        // A request the app cannot serve: the exception handler logs it, with the path made safe.
        var handler = _host.Services.GetServices<Microsoft.AspNetCore.Diagnostics.IExceptionHandler>().OfType<Portal.Web.Api.PortalExceptionHandler>().Single();
        var failing = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = _host.Services };
        failing.Request.Method = "GET";
        failing.Request.Path = $"/p/{tokens[0]}";
        Assert.False(await handler.TryHandleAsync(failing, new InvalidOperationException("the cluster is down"), CancellationToken.None));

        // Proof the capture sees scopes and the failure: the safe path is there, in its place.
        Assert.Contains(_logs.Lines, line => line.Contains("RequestPath=/p/[token]", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("Unhandled error on GET /p/[token]", StringComparison.Ordinal));
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Unknown_and_revoked_links_get_a_friendly_page_and_revoking_ends_open_sessions()
    {
        using var browser = new PortalBrowser(_host);
        var (status, body) = await browser.GetAsync("/p/not-a-real-token-000000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("ask the company", body, StringComparison.OrdinalIgnoreCase);

        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var link = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        Assert.Equal("/portal/projects", await browser.EnterAsync(link.Str("url")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/projects/{projectId}")).Status);

        using (var revoke = await Api.DeleteAsync($"/api/portal-links/{link.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        var afterRevoke = await browser.GetAsync($"/portal/projects/{projectId}");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.Status);
        Assert.Contains("new link", afterRevoke.Body);

        var again = await browser.GetAsync(new Uri(link.Str("url")).PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Contains("withdrawn", again.Body);
    }

    [Fact]
    public async Task A_client_sees_only_its_own_projects_documents_and_files()
    {
        var mine = await SentDocumentsAsync();
        var theirs = await SentDocumentsAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent("secret plans"u8.ToArray()), "file", "plans.txt" } };
        using var upload = await Api.PostAsync($"/api/projects/{theirs.Project}/files", form);
        var theirFile = (await upload.ReadJsonAsync()).Id();

        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(mine.QuoteUrl);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/projects/{mine.Project}")).Status);
        foreach (var path in new[]
        {
            $"/portal/projects/{theirs.Project}", $"/portal/proposals/{theirs.Quote}", $"/portal/invoices/{theirs.Invoice}",
            $"/portal/files/{theirFile}", $"/portal/files/{theirFile}/download", $"/portal/invoices/{theirs.Invoice}/download",
            $"/portal/projects/{Guid.NewGuid()}",
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(path)).Status);
        }
        var list = await browser.GetAsync("/portal/projects");
        Assert.Contains(mine.Project.ToString(), list.Body);
        Assert.DoesNotContain(theirs.Project.ToString(), list.Body);

        using var anonymous = _host.CreateClient(followRedirects: false);
        using var noSession = await anonymous.GetAsync($"/portal/projects/{mine.Project}");
        Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
    }

    [Fact]
    public async Task Opening_a_document_marks_it_viewed_once_and_records_who_and_when()
    {
        var docs = await SentDocumentsAsync();
        using var browser = new PortalBrowser(_host);
        var landing = await browser.EnterAsync(docs.QuoteUrl);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(landing)).Status);
        var first = await Api.GetOkAsync($"/api/proposals/{docs.Quote}");
        Assert.Equal("viewed", first.Str("status"));
        var viewedAt = first["firstViewed"]!["at"]!.ToString();
        Assert.Equal("Jane Smith", first["firstViewed"]!["by"]!.Str("name"));

        // Later by the portal's clock: a second "first view" would carry a different time.
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(landing)).Status);
        var second = await Api.GetOkAsync($"/api/proposals/{docs.Quote}");
        Assert.Equal(viewedAt, second["firstViewed"]!["at"]!.ToString());

        await browser.EnterAsync(docs.InvoiceUrl);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/invoices/{docs.Invoice}")).Status);
        Assert.Equal("viewed", (await Api.GetOkAsync($"/api/invoices/{docs.Invoice}")).Str("status"));
    }

    /// <summary>Shares a file on the project with the content type exactly as given, even one that does not parse.</summary>
    private async Task<Guid> UploadAsync(Guid projectId, string name, string type, byte[] bytes)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        form.Add(content, "file", name);
        using var response = await Api.PostAsync($"/api/projects/{projectId}/files", form);
        return (await response.ReadJsonAsync()).Id();
    }

    [Fact]
    public async Task Files_are_served_with_the_right_disposition_and_html_is_never_inline()
    {
        var docs = await SentDocumentsAsync();
        var text = await UploadAsync(docs.Project, "notes.txt", "text/plain", "hello"u8.ToArray());
        var html = await UploadAsync(docs.Project, "evil.html", "text/html", "<script>alert(1)</script>"u8.ToArray());

        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(docs.QuoteUrl);
        using (var open = await browser.Http.GetAsync($"/portal/files/{text}"))
        {
            Assert.Equal("text/plain", open.Content.Headers.ContentType!.MediaType);
            Assert.Equal("inline", open.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("nosniff", open.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("hello", await open.Content.ReadAsStringAsync());
        }
        using (var download = await browser.Http.GetAsync($"/portal/files/{text}/download"))
        {
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("notes.txt", download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        }
        using (var evil = await browser.Http.GetAsync($"/portal/files/{html}"))
        {
            Assert.Equal("attachment", evil.Content.Headers.ContentDisposition!.DispositionType);
            Assert.NotEqual("text/html", evil.Content.Headers.ContentType!.MediaType);
        }
    }

    [Trait("Category", "Security")]
    [Theory]
    [InlineData("drawing.svg", "image/svg+xml")]
    [InlineData("feed.atom", "application/atom+xml")]
    [InlineData("page.xhtml", "application/xhtml+xml")]
    [InlineData("map.kml", "application/vnd.google-earth.kml+xml")]
    [InlineData("script.es", "text/ecmascript")]
    [InlineData("script.js", "text/javascript")]
    [InlineData("page.html", "TEXT/HTML; charset=utf-8")]
    [InlineData("unknown.bin", "application/x-made-up")]
    [InlineData("no-type", "not a media type")]
    public async Task Only_images_pdf_and_plain_text_are_ever_inline_and_every_file_is_sandboxed(string name, string type)
    {
        var docs = await SentDocumentsAsync();
        var fileId = await UploadAsync(docs.Project, name, type, "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray());

        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(docs.QuoteUrl);
        foreach (var path in new[] { $"/portal/files/{fileId}", $"/portal/files/{fileId}/download" })
        {
            using var response = await browser.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.StartsWith("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Trait("Category", "Security")]
    [Theory]
    [InlineData("photo.png", "image/png", "image/png")]
    [InlineData("photo.jpg", "image/JPEG", "image/jpeg")]
    [InlineData("scan.pdf", "application/pdf", "application/pdf")]
    [InlineData("notes.txt", "text/plain; charset=iso-8859-1", "text/plain")]
    public async Task Allowed_types_are_inline_sandboxed_and_downloadable(string name, string type, string served)
    {
        var docs = await SentDocumentsAsync();
        var fileId = await UploadAsync(docs.Project, name, type, [1, 2, 3]);

        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(docs.QuoteUrl);
        using (var open = await browser.Http.GetAsync($"/portal/files/{fileId}"))
        {
            Assert.Equal("inline", open.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(served, open.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("sandbox", open.Headers.GetValues("Content-Security-Policy").Single());
        }
        using (var download = await browser.Http.GetAsync($"/portal/files/{fileId}/download"))
        {
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(served, download.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task Declining_needs_the_antiforgery_token_and_then_shows_declined()
    {
        var docs = await SentDocumentsAsync();
        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(docs.QuoteUrl);

        using (var forged = await browser.Http.PostAsync($"/portal/proposals/{docs.Quote}/decline",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["documentVersion"] = "1", ["reason"] = "no" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.NotEqual("declined", (await Api.GetOkAsync($"/api/proposals/{docs.Quote}")).Str("status"));

        var page = await browser.GetAsync($"/portal/proposals/{docs.Quote}");
        var token = System.Text.RegularExpressions.Regex.Match(page.Body, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token));
        using var declined = await browser.Http.PostAsync($"/portal/proposals/{docs.Quote}/decline",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["documentVersion"] = "1", ["reason"] = "<b>Too dear</b>", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        var proposal = await Api.GetOkAsync($"/api/proposals/{docs.Quote}");
        Assert.Equal("declined", proposal.Str("status"));
        Assert.Equal("<b>Too dear</b>", proposal.Str("declineReason"));
        var after = await browser.GetAsync($"/portal/proposals/{docs.Quote}");
        Assert.Contains("Declined", after.Body);
        Assert.DoesNotContain("<b>Too dear</b>", after.Body);
    }
}

/// <summary>Expiry and rate limiting need their own portal: a short link lifetime and an address of their own.</summary>
public sealed class PortalLinkLimitTests
{
    [Trait("Category", "Security")]
    [Fact]
    public async Task Expired_links_answer_410_and_repeated_failures_are_rate_limited()
    {
        var clock = new ShiftedClock();
        await using var host = await PortalTestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Portal:Links:Lifetime"] = "00:01:00" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var clientId = await host.Api.CreateClientAsync();
        var link = await host.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using var http = host.CreateClient(followRedirects: false);
        var path = new Uri(link.Str("url")).PathAndQuery;
        using (var valid = await http.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.SeeOther, valid.StatusCode);
        }

        // Past the link's minute by the portal's clock (grains and pages read it), without waiting for it.
        clock.Advance(TimeSpan.FromMinutes(2));
        using (var expired = await http.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
            Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await http.GetAsync($"/p/guess-{i:D40}");
            statuses.Add(response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Contains(HttpStatusCode.NotFound, statuses);

        // Only failures are refused: a valid link still gets in from that address (a shared proxy address must not
        // lock every client out), while the next guess is still refused.
        var fresh = await host.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using (var valid = await http.GetAsync(new Uri(fresh.Str("url")).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.SeeOther, valid.StatusCode);
        }
        using var guess = await http.GetAsync($"/p/guess-{99:D40}");
        Assert.Equal(HttpStatusCode.TooManyRequests, guess.StatusCode);
    }

    [Trait("Category", "Security")]
    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    public void Failures_count_per_ipv4_address_and_per_ipv6_64(string address, string network)
    {
        Assert.Equal(network, Portal.Web.Auth.FailureLimiter.NetworkOf(System.Net.IPAddress.Parse(address)));
    }
}
