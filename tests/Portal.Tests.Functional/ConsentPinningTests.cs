using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// The company changes its terms of business after a quote was sent: the client still reads, posts and signs the
/// terms the quote was sent with, and a form that shows (or does not say) another version is refused with
/// "review again" while nothing is recorded. Each test publishes its own terms, so the order they run in is free.
/// </summary>
[Trait("Category", "Security")]
public sealed class ConsentPinningTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private const string ReviewAgain = "The terms have changed since you opened this page. Please review them again before signing.";

    private HttpClient Api => fixture.Host.Api;

    private sealed record Signing(PortalBrowser Browser, Guid ProjectId, Guid QuoteId, string Token, int Pinned, string PinnedText, string NewText) : IDisposable
    {
        public void Dispose() => Browser.Dispose();
    }

    /// <summary>Terms published, a quote sent with them and opened by its client, then newer terms published.</summary>
    private async Task<Signing> QuoteThenNewTermsAsync()
    {
        var pinnedText = $"Payment within 30 days. ({Guid.NewGuid():N})";
        var pinned = await PublishTermsAsync(pinnedText);
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        await Api.SendAsync("proposals", quoteId);
        Assert.Equal(pinned, (await Api.GetOkAsync($"/api/proposals/{quoteId}"))["termsVersion"]!.GetValue<int>());
        var link = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        var browser = new PortalBrowser(fixture.Host);
        await browser.EnterAsync(link.Str("url"));
        var token = await browser.TokenFromAsync($"/portal/proposals/{quoteId}");

        var newText = $"Payment within 7 days. ({Guid.NewGuid():N})";
        Assert.Equal(pinned + 1, await PublishTermsAsync(newText));
        return new Signing(browser, projectId, quoteId, token, pinned, pinnedText, newText);
    }

    private async Task<int> PublishTermsAsync(string text)
    {
        using (var put = await Api.PutAsync("/api/company", JsonContent.Create(new { termsText = text })))
        {
            put.EnsureSuccessStatusCode();
        }
        return (await Api.GetOkAsync("/api/company"))["terms"]!["version"]!.GetValue<int>();
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string ConsentTo(int version, string text) => $"I agree to the terms of business (version {version}).\n\n{text}";

    /// <summary>Runs a refused request and proves nothing changed: same proposal JSON (still open), same activity log.</summary>
    private async Task<HttpResponseMessage> RefusedUnchangedAsync(Signing s, Func<Task<HttpResponseMessage>> request)
    {
        var before = (await Api.GetOkAsync($"/api/proposals/{s.QuoteId}")).ToJsonString();
        var logBefore = (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray().Count;
        var response = await request();
        var after = await Api.GetOkAsync($"/api/proposals/{s.QuoteId}");
        Assert.Equal(before, after.ToJsonString());
        Assert.Equal("viewed", after.Str("status"));
        Assert.Null(after["acceptance"]);
        Assert.Equal(logBefore, (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray().Count);
        return response;
    }

    [Fact]
    public async Task Signing_after_the_company_changed_its_terms_records_the_terms_the_quote_was_sent_with()
    {
        using var s = await QuoteThenNewTermsAsync();

        // The page still shows, links and posts the terms the quote was sent with.
        var page = (await s.Browser.GetAsync($"/portal/proposals/{s.QuoteId}")).Body;
        Assert.Contains($"name=\"termsVersion\" value=\"{s.Pinned}\"", page);
        Assert.Contains($"data-terms-version=\"{s.Pinned}\"", page);
        Assert.Contains($"href=\"/portal/terms?version={s.Pinned}\"", page);
        Assert.Contains($"Terms of business (version {s.Pinned})", page);
        Assert.DoesNotContain($"version={s.Pinned + 1}", page);
        var pinnedTerms = (await s.Browser.GetAsync($"/portal/terms?version={s.Pinned}")).Body;
        Assert.Contains(s.PinnedText, pinnedTerms);
        Assert.DoesNotContain(s.NewText, pinnedTerms);
        Assert.Contains($"current terms</a> are version {s.Pinned + 1}", pinnedTerms);
        Assert.Contains(s.NewText, (await s.Browser.GetAsync("/portal/terms")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Browser.GetAsync($"/portal/terms?version={s.Pinned + 100}")).Status);

        using var response = await s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, termsVersion: s.Pinned));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evidence = (await Api.GetOkAsync($"/api/proposals/{s.QuoteId}"))["acceptance"]!;
        Assert.Equal(s.Pinned, evidence["consentVersion"]!.GetValue<int>());
        Assert.Equal(Sha256(ConsentTo(s.Pinned, s.PinnedText)), evidence.Str("consentSha256"));
        Assert.NotEqual(Sha256(ConsentTo(s.Pinned + 1, s.NewText)), evidence.Str("consentSha256"));
        // The evidence with the pinned consent is what the activity chain holds, and the chain verifies.
        var entry = (await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity")).AsArray().Single(e => e!.Str("type") == "proposal.accepted")!;
        Assert.Contains(evidence.Str("evidenceSha256"), entry.Str("detail"));
        Assert.True((await Api.GetOkAsync($"/api/projects/{s.ProjectId}/activity/verify"))["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Posting_other_terms_than_the_quote_was_sent_with_is_refused_with_409_and_records_nothing()
    {
        using var s = await QuoteThenNewTermsAsync();

        foreach (var shown in new int?[] { s.Pinned + 1, null, 0, -1 })
        {
            using var refused = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, termsVersion: shown)));
            var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "proposal.terms_changed");
            Assert.Equal(ReviewAgain, problem.Str("detail"));
        }

        // The refusals were about the terms alone: the version the quote was sent with signs.
        using var accepted = await s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, termsVersion: s.Pinned));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Without_script_a_terms_mismatch_redirects_back_to_the_quote_asking_to_review_again()
    {
        using var s = await QuoteThenNewTermsAsync();

        using var plain = await RefusedUnchangedAsync(s, () => s.Browser.AcceptAsync(s.QuoteId, SigningClient.Typed(s.Token, termsVersion: s.Pinned + 1), json: false));

        Assert.Equal(HttpStatusCode.SeeOther, plain.StatusCode);
        Assert.Equal($"/portal/proposals/{s.QuoteId}?problem=proposal.terms_changed", plain.Headers.Location!.OriginalString);
        var page = (await s.Browser.GetAsync(plain.Headers.Location!.OriginalString)).Body;
        Assert.Contains(ReviewAgain, WebUtility.HtmlDecode(page));
        Assert.Contains($"name=\"termsVersion\" value=\"{s.Pinned}\"", page);
    }
}
