using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// POST /portal/proposals/{id}/accept and /decline over real HTTP: the evidence staff see afterwards, and every
/// refusal answered with its status and code while the proposal stays exactly as it was.
/// </summary>
public sealed class SigningTests(SigningTests.HostFixture fixture) : IClassFixture<SigningTests.HostFixture>
{
    private const string Terms = "Payment within 14 days.\nWork guaranteed for 12 months.";

    /// <summary>One portal for these tests, on a clock they can move forward (expiry), with terms of business set.</summary>
    public sealed class HostFixture : IAsyncLifetime
    {
        public ShiftedClock Clock { get; } = new();

        public PortalTestHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await PortalTestHost.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(Clock));
            using var terms = await Host.Api.PutAsync("/api/company", JsonContent.Create(new { termsText = Terms }));
            terms.EnsureSuccessStatusCode();
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private ShiftedClock Clock => fixture.Clock;

    private PortalTestHost Host => fixture.Host;

    private HttpClient Api => Host.Api;

    private sealed record Signing(PortalBrowser Browser, Guid ClientId, Guid ProjectId, Guid QuoteId, Guid LinkId, string Token) : IDisposable
    {
        public void Dispose() => Browser.Dispose();
    }

    /// <summary>A client with a sent quote, signed in through a portal link, holding the quote page's antiforgery token.</summary>
    private async Task<Signing> OpenQuoteAsync(DateOnly? validUntil = null, string clientName = "Jane Smith")
    {
        var clientId = await Api.CreateClientAsync(clientName);
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId, validUntil);
        await Api.SendAsync("proposals", quoteId);
        var link = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        var browser = new PortalBrowser(Host);
        await browser.EnterAsync(link.Str("url"));
        var token = await browser.TokenFromAsync($"/portal/proposals/{quoteId}");
        return new Signing(browser, clientId, projectId, quoteId, link.Id(), token);
    }

    private Task<JsonNode> ProposalAsync(Guid id) => Api.GetOkAsync($"/api/proposals/{id}");

    /// <summary>Runs a refused request and proves nothing changed: same proposal JSON, same activity log.</summary>
    private async Task<JsonNode> RefusedUnchangedAsync(Signing s, Func<Task<HttpResponseMessage>> request, HttpStatusCode status, string? code)
    {
        var before = (await ProposalAsync(s.QuoteId)).ToJsonString();
        var logBefore = (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray().Count;
        using var response = await request();
        var problem = code is null ? null : await response.AssertProblemAsync(status, code);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(before, (await ProposalAsync(s.QuoteId)).ToJsonString());
        Assert.Equal(logBefore, (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray().Count);
        Assert.Null((await ProposalAsync(s.QuoteId))["acceptance"]);
        return problem!;
    }

    [Fact]
    public async Task A_drawn_signature_is_accepted_and_staff_see_every_piece_of_evidence()
    {
        using var s = await OpenQuoteAsync();
        var png = TestPng.Create(600, 200);
        var before = await ProposalAsync(s.QuoteId);

        using var response = await s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(s.Token, TestPng.DataUrl(png)),
            adjust: r => r.Headers.UserAgent.ParseAdd("PortalTests/1.0 (Signing)"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadJsonAsync();
        Assert.Equal("Thank you for accepting!", answer.Str("message"));
        Assert.Equal("accepted", answer.Str("status"));

        var proposal = await ProposalAsync(s.QuoteId);
        Assert.Equal("accepted", proposal.Str("status"));
        var evidence = proposal["acceptance"]!;
        Assert.Equal("drawn", evidence.Str("method"));
        Assert.Null(evidence["typedName"]);
        Assert.Equal(png, Convert.FromBase64String(evidence.Str("drawnPng")));
        Assert.Equal("Jane Smith", evidence.Str("signerName"));
        var client = await Api.GetOkAsync($"/api/clients/{s.ClientId}");
        Assert.Equal(client.Str("email"), evidence.Str("signerEmail"));
        var signedAt = DateTimeOffset.Parse(evidence.Str("signedAtUtc"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, signedAt.Offset);
        Assert.InRange(DateTimeOffset.UtcNow - signedAt, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal("127.0.0.1", evidence.Str("ipAddress"));
        Assert.Equal("PortalTests/1.0 (Signing)", evidence.Str("userAgent"));
        Assert.Equal(s.LinkId, Guid.Parse(evidence.Str("linkId")));
        Assert.Equal(1, evidence["consentVersion"]!.GetValue<int>());
        var consent = $"I agree to the terms of business (version 1).\n\n{Terms}";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(consent))), evidence.Str("consentSha256"));
        Assert.Equal(1, evidence["documentVersion"]!.GetValue<int>());
        Assert.Equal(before.Str("documentSha256"), evidence.Str("documentSha256"));
        Assert.Matches("^[0-9a-f]{64}$", evidence.Str("evidenceSha256"));

        // The drawn image, for staff and for the client who signed it.
        using (var image = await Api.GetAsync(evidence.Str("drawnPngUrl")))
        {
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
            Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        }
        using (var image = await s.Browser.Http.GetAsync($"/portal/proposals/{s.QuoteId}/signature.png"))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
            Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        }

        // The log chains the evidence hash, and the chain verifies.
        var log = (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray();
        var entry = log.Single(e => e!.Str("type") == "proposal.accepted")!;
        Assert.Contains(evidence.Str("evidenceSha256"), entry.Str("detail"));
        Assert.Contains(evidence.Str("documentSha256"), entry.Str("detail"));
        var verify = await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity/verify");
        Assert.True(verify["ok"]!.GetValue<bool>());

        // The page shows the signature block: the image, who, when (with the zone) and the short document hash.
        var page = (await s.Browser.GetAsync($"/portal/proposals/{s.QuoteId}")).Body;
        Assert.Contains($"src=\"/portal/proposals/{s.QuoteId}/signature.png\"", page);
        Assert.Contains("Signed by", page);
        Assert.Matches(@"\d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST)", page);
        Assert.Contains(evidence.Str("documentSha256")[..12], page);
        Assert.DoesNotContain("id=\"sign-to-accept\"", page);
    }

    [Fact]
    public async Task A_typed_signature_posted_without_script_redirects_to_the_signed_quote_with_the_name_encoded()
    {
        using var s = await OpenQuoteAsync(clientName: "Jane <Smith>");

        using var response = await s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, "<b>Jane</b> \u202ESmith"), json: false);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/portal/proposals/{s.QuoteId}?done=accepted", response.Headers.Location!.OriginalString);
        var evidence = (await ProposalAsync(s.QuoteId))["acceptance"]!;
        Assert.Equal("typed", evidence.Str("method"));
        Assert.Equal("<b>Jane</b> Smith", evidence.Str("typedName"));
        Assert.Null(evidence["drawnPng"]);
        Assert.Null(evidence["drawnPngUrl"]);

        var page = (await s.Browser.GetAsync(response.Headers.Location!.OriginalString)).Body;
        Assert.Contains("Thank you for accepting!", page);
        Assert.Contains("&lt;b&gt;Jane&lt;/b&gt; Smith", page);
        Assert.DoesNotContain("<b>Jane</b>", page);
        Assert.Contains("Jane &lt;Smith&gt;", page);
        using var noImage = await s.Browser.Http.GetAsync($"/portal/proposals/{s.QuoteId}/signature.png");
        Assert.Equal(HttpStatusCode.NotFound, noImage.StatusCode);
        Assert.True((await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity/verify"))["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_400_and_changes_nothing()
    {
        using var s = await OpenQuoteAsync();
        var token = s.Token;
        byte[] pngHeaderThenJunk = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.ASCII.GetBytes("not really a picture at all")];

        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, TestPng.DataUrl(pngHeaderThenJunk))), HttpStatusCode.BadRequest, "validation.signature");
        var oversized = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, TestPng.DataUrl(TestPng.Create(600, 200, totalBytes: 200 * 1024 + 1)))), HttpStatusCode.BadRequest, "validation.signature");
        Assert.Contains("200 KB", oversized.Str("detail"));
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, TestPng.DataUrl(TestPng.Create(600, 200, totalBytes: 1024 * 1024)))), HttpStatusCode.BadRequest, "validation.signature");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, TestPng.DataUrl(TestPng.Create(5000, 1)))), HttpStatusCode.BadRequest, "validation.signature");
        var svg = "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"));
        var svgProblem = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, svg)), HttpStatusCode.BadRequest, "validation.signature");
        Assert.Contains("PNG", svgProblem.Str("detail"));
        // An SVG document behind a PNG label is refused by its bytes.
        var svgAsPng = "data:image/png;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, svgAsPng)), HttpStatusCode.BadRequest, "validation.signature");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, "data:image/png;base64,@@@not base64@@@")), HttpStatusCode.BadRequest, "validation.signature");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Drawn(token, "")), HttpStatusCode.BadRequest, "validation.signature");

        var noConsent = SigningClient.Typed(token);
        noConsent.Remove("consent");
        var consentProblem = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, noConsent), HttpStatusCode.BadRequest, "validation.consent");
        Assert.Contains("I agree to the terms of business", consentProblem.Str("detail"));
        var unticked = SigningClient.Typed(token);
        unticked["consent"] = "";
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, unticked), HttpStatusCode.BadRequest, "validation.consent");

        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(token, " \u202E\u0007 ")), HttpStatusCode.BadRequest, "validation.signature");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(token, new string('x', 201))), HttpStatusCode.BadRequest, "validation.signature");
        var noVersion = SigningClient.Typed(token);
        noVersion.Remove("documentVersion");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, noVersion), HttpStatusCode.BadRequest, "validation.document_version");

        // Without script the same refusal sends the client back to the open form with the reason.
        using var plain = await s.Browser.AcceptAsync(s.QuoteId, noConsent, json: false);
        Assert.Equal(HttpStatusCode.SeeOther, plain.StatusCode);
        var again = (await s.Browser.GetAsync(plain.Headers.Location!.OriginalString)).Body;
        Assert.Contains("Tick “I agree to the terms of business” to sign.", System.Net.WebUtility.HtmlDecode(again));
        Assert.Contains("<dialog id=\"sign-dialog\" class=\"sign-dialog\" aria-labelledby=\"sign-title\" aria-describedby=\"sign-intro\" open=\"open\">", again);
    }

    [Fact]
    public async Task A_missing_or_wrong_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        using var s = await OpenQuoteAsync();
        var missing = SigningClient.Typed(s.Token);
        missing.Remove("__RequestVerificationToken");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, missing), HttpStatusCode.BadRequest, "request.antiforgery");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, missing, json: false), HttpStatusCode.BadRequest, null);
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed("CfDJ8-forged-token")), HttpStatusCode.BadRequest, "request.antiforgery");

        // A token from another client's session does not work either.
        using var other = await OpenQuoteAsync(clientName: "Other Client");
        await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(other.Token)), HttpStatusCode.BadRequest, "request.antiforgery");

        // Declining needs it too.
        await RefusedUnchangedAsync(s, () => s.Browser.Http.PostAsync($"/portal/proposals/{s.QuoteId}/decline",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["documentVersion"] = "1", ["reason"] = "no" })), HttpStatusCode.BadRequest, null);
    }

    [Fact]
    public async Task Another_clients_proposal_answers_404_and_no_session_401()
    {
        using var mine = await OpenQuoteAsync();
        using var theirs = await OpenQuoteAsync(clientName: "Someone Else");

        await RefusedUnchangedAsync(theirs, () => mine.Browser.AcceptAsync(theirs.QuoteId, SigningClient.Typed(mine.Token)), HttpStatusCode.NotFound, "proposal.not_found");
        await RefusedUnchangedAsync(theirs, () => mine.Browser.AcceptAsync(Guid.NewGuid(), SigningClient.Typed(mine.Token)), HttpStatusCode.NotFound, "proposal.not_found");
        using (var image = await mine.Browser.Http.GetAsync($"/portal/proposals/{theirs.QuoteId}/signature.png"))
        {
            Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        }

        using var anonymous = new PortalBrowser(Host);
        await RefusedUnchangedAsync(theirs, () => anonymous.AcceptAsync(theirs.QuoteId, SigningClient.Typed(theirs.Token)), HttpStatusCode.Unauthorized, null);
    }

    [Fact]
    public async Task A_quote_edited_after_the_page_loaded_is_refused_as_changed_and_the_new_version_can_be_signed()
    {
        using var s = await OpenQuoteAsync();
        using (var edit = await Api.PutAsJsonAsync($"/api/proposals/{s.QuoteId}", new
        {
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = Scenario.TwoLines,
        }))
        {
            edit.EnsureSuccessStatusCode();
        }

        var problem = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, version: 1)), HttpStatusCode.Conflict, "proposal.stale_version");
        Assert.Equal("This quote has changed — review it again.", problem.Str("detail"));

        // Without script: back to the page with the same sentence.
        using (var plain = await s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, version: 1), json: false))
        {
            Assert.Equal(HttpStatusCode.SeeOther, plain.StatusCode);
            var page = (await s.Browser.GetAsync(plain.Headers.Location!.OriginalString)).Body;
            Assert.Contains("This quote has changed — review it again.", System.Net.WebUtility.HtmlDecode(page));
            Assert.Contains("data-version=\"2\"", page);
        }

        using var accepted = await s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, version: 2));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var evidence = (await ProposalAsync(s.QuoteId))["acceptance"]!;
        Assert.Equal(2, evidence["documentVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_expired_quote_is_refused_with_409()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);
        using var s = await OpenQuoteAsync(validUntil: today);
        try
        {
            Clock.Advance(TimeSpan.FromDays(1));
            var problem = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token)), HttpStatusCode.Conflict, "proposal.expired");
            Assert.Contains("expired", problem.Str("detail"));
            Assert.Equal("expired", (await ProposalAsync(s.QuoteId)).Str("status"));
            await RefusedUnchangedAsync(s, () => s.Browser.Http.PostAsync($"/portal/proposals/{s.QuoteId}/decline",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["documentVersion"] = "1", ["__RequestVerificationToken"] = s.Token })), HttpStatusCode.Redirect, null);
        }
        finally
        {
            Clock.Reset();
        }
    }

    [Fact]
    public async Task Withdrawn_declined_and_accepted_quotes_are_refused_as_not_open()
    {
        using var withdrawn = await OpenQuoteAsync();
        await Api.PostOkAsync($"/api/proposals/{withdrawn.QuoteId}/withdraw", null, HttpStatusCode.OK);
        var problem = await RefusedUnchangedAsync(withdrawn, () => withdrawn.Browser.AcceptAsync(withdrawn.QuoteId, SigningClient.Typed(withdrawn.Token)), HttpStatusCode.Conflict, "proposal.not_open");
        Assert.Contains("withdrawn", problem.Str("detail"));

        using var declined = await OpenQuoteAsync();
        using (var decline = await declined.Browser.Http.PostAsync($"/portal/proposals/{declined.QuoteId}/decline",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["documentVersion"] = "1", ["__RequestVerificationToken"] = declined.Token })))
        {
            Assert.Equal(HttpStatusCode.Redirect, decline.StatusCode);
        }
        problem = await RefusedUnchangedAsync(declined, () => declined.Browser.AcceptAsync(declined.QuoteId, SigningClient.Typed(declined.Token)), HttpStatusCode.Conflict, "proposal.not_open");
        Assert.Contains("declined", problem.Str("detail"));

        using var accepted = await OpenQuoteAsync();
        using (var first = await accepted.Browser.AcceptAsync(accepted.QuoteId, SigningClient.Typed(accepted.Token)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var signed = (await ProposalAsync(accepted.QuoteId)).ToJsonString();
        using (var again = await accepted.Browser.AcceptAsync(accepted.QuoteId, SigningClient.Typed(accepted.Token, "Someone Else")))
        {
            var conflict = await again.AssertProblemAsync(HttpStatusCode.Conflict, "proposal.not_open");
            Assert.Equal("This quote has already been accepted.", conflict.Str("detail"));
        }
        Assert.Equal(signed, (await ProposalAsync(accepted.QuoteId)).ToJsonString());
    }

    [Fact]
    public async Task Two_tabs_signing_at_once_store_one_acceptance_and_the_other_is_told()
    {
        using var s = await OpenQuoteAsync();
        using var secondTab = new PortalBrowser(Host);
        var link = await Api.PostOkAsync($"/api/clients/{s.ClientId}/portal-links", null);
        await secondTab.EnterAsync(link.Str("url"));
        var secondToken = await secondTab.TokenFromAsync($"/portal/proposals/{s.QuoteId}");

        var responses = await Task.WhenAll(
            s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, "Tab One")),
            secondTab.AcceptAsync(s.QuoteId, SigningClient.Drawn(secondToken, TestPng.DataUrl(TestPng.Create(300, 100)))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        var problem = await loser.AssertProblemAsync(HttpStatusCode.Conflict, "proposal.not_open");
        Assert.Equal("This quote has already been accepted.", problem.Str("detail"));
        var log = (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray();
        Assert.Single(log, e => e!.Str("type") == "proposal.accepted");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Declining_keeps_the_reason_and_shows_it_encoded()
    {
        using var s = await OpenQuoteAsync();
        const string reason = "<img src=x onerror=alert(1)> Too dear";

        using (var decline = await s.Browser.Http.PostAsync($"/portal/proposals/{s.QuoteId}/decline",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["documentVersion"] = "1", ["reason"] = reason, ["__RequestVerificationToken"] = s.Token })))
        {
            Assert.Equal(HttpStatusCode.Redirect, decline.StatusCode);
        }

        var proposal = await ProposalAsync(s.QuoteId);
        Assert.Equal("declined", proposal.Str("status"));
        Assert.Equal(reason, proposal.Str("declineReason"));
        var page = (await s.Browser.GetAsync($"/portal/proposals/{s.QuoteId}?done=declined")).Body;
        Assert.Contains("You declined this quote", page);
        Assert.Contains("Declined", page);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; Too dear", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.DoesNotContain("id=\"sign-to-accept\"", page);
        var log = (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray();
        Assert.Equal(reason, log.Single(e => e!.Str("type") == "proposal.declined")!.Str("detail"));
    }
}

/// <summary>The client address kept as evidence: forwarded headers count only from configured proxies.</summary>
public sealed class SigningForwardedHeadersTests
{
    private static async Task<string> SignedFromAsync(PortalTestHost host, string forwardedFor)
    {
        var api = host.Api;
        var clientId = await api.CreateClientAsync();
        var (projectId, _) = await api.CreateProjectAsync(clientId);
        var (quoteId, _) = await api.CreateQuoteAsync(projectId);
        var url = (await api.SendAsync("proposals", quoteId)).Str("portalUrl");
        using var browser = new PortalBrowser(host);
        await browser.EnterAsync(url);
        var token = await browser.TokenFromAsync($"/portal/proposals/{quoteId}");
        // This company has no terms of business, so the page shows (and posts) terms version 0.
        using var response = await browser.AcceptAsync(quoteId, SigningClient.Typed(token, termsVersion: 0), adjust: r => r.Headers.Add("X-Forwarded-For", forwardedFor));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await api.GetOkAsync($"/api/proposals/{quoteId}"))["acceptance"]!.Str("ipAddress");
    }

    [Fact]
    public async Task Forwarded_for_is_ignored_by_default_and_honoured_from_a_configured_proxy()
    {
        await using (var plain = await PortalTestHost.StartAsync())
        {
            Assert.Equal("127.0.0.1", await SignedFromAsync(plain, "203.0.113.50"));
        }

        await using var proxied = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
        });
        Assert.Equal("203.0.113.50", await SignedFromAsync(proxied, "203.0.113.50"));
        // Only the hop the trusted proxy added counts, not what the client wrote before it.
        Assert.Equal("198.51.100.4", await SignedFromAsync(proxied, "203.0.113.50, 198.51.100.4"));
    }

    [Fact]
    public async Task A_trusted_network_in_CIDR_form_is_honoured()
    {
        await using var proxied = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
        });
        Assert.Equal("2001:db8::7", await SignedFromAsync(proxied, "2001:db8::7"));
    }
}
