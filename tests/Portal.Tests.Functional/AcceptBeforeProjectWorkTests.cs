using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// The signer's request carries only the proposal's own durable write: with the project's handling of the report
/// held back (or failing), the accept still answers 200 and the proposal reads Accepted; the project summary, its
/// activity, the staff email, the staff feed and the other open pages all follow once the project is let through.
/// </summary>
public sealed class AcceptBeforeProjectWorkTests(AcceptBeforeProjectWorkTests.HostFixture fixture) : IClassFixture<AcceptBeforeProjectWorkTests.HostFixture>
{
    private const string NotificationEmail = "office@held.example";

    // Bounds for a slow machine, never claims about speed.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public sealed class HostFixture : IAsyncLifetime
    {
        public HeldProjectReports Reports { get; } = new();

        public PortalTestHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await PortalTestHost.StartAsync(configure: b => b.Services.AddSingleton<IProjectReportHook>(Reports));
            using var company = await Host.Api.PutAsync("/api/company", JsonContent.Create(new { notificationEmail = NotificationEmail }));
            company.EnsureSuccessStatusCode();
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private PortalTestHost Host => fixture.Host;

    private HttpClient Api => Host.Api;

    private sealed record Quote(PortalBrowser Browser, Guid ProjectId, Guid QuoteId, string Number, string Token) : IDisposable
    {
        public void Dispose() => Browser.Dispose();
    }

    private async Task<Quote> OpenQuoteAsync()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, number) = await Api.CreateQuoteAsync(projectId);
        var url = (await Api.SendAsync("proposals", quoteId)).Str("portalUrl");
        var browser = new PortalBrowser(Host);
        await browser.EnterAsync(url);
        // Opening the page records the view (reported inline); the hold below only meets the accept's report.
        var token = await browser.TokenFromAsync($"/portal/proposals/{quoteId}");
        return new Quote(browser, projectId, quoteId, number, token);
    }

    private static async Task<JsonNode> AcceptAsync(Quote quote)
    {
        using var response = await quote.Browser.AcceptAsync(quote.QuoteId, SigningClient.Typed(quote.Token, termsVersion: 0));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadJsonAsync();
        Assert.Equal("accepted", answer.Str("status"));
        return answer;
    }

    private async Task<string> ProposalStatusAsync(Guid quoteId) => (await Api.GetOkAsync($"/api/proposals/{quoteId}")).Str("status");

    private Task<JsonNode> AcceptedEntryAsync(Guid projectId, Guid quoteId) =>
        Eventually.ValueAsync(
            async () => (await Api.GetOkAsync($"/api/projects/{projectId}/activity")).AsArray()
                .FirstOrDefault(e => e!.Str("type") == ActivityTypes.ProposalAccepted && (string?)e!["documentId"] == quoteId.ToString()),
            entry => entry is not null,
            "the project's log to show the accept")!;

    [Fact]
    public async Task An_accept_answers_while_the_project_work_is_held_and_the_project_emails_feed_and_pages_follow_on_release()
    {
        using var quote = await OpenQuoteAsync();
        await using var feed = await LiveStaffFeed.OpenAsync(Host.BaseUri, PortalTestHost.ApiKey);
        await using var otherPage = await LivePortalPage.OpenAsync(Host.BaseUri, quote.Browser.Cookies);
        var watchedVersion = await otherPage.WatchAsync(quote.ProjectId);
        // The project's mail list is read from its own grain: the API's route checks the project, which is held.
        var projectMail = Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectMailGrain>(quote.ProjectId);
        var messagesBefore = (await projectMail.List()).Count;
        var hold = fixture.Reports.HoldBack(quote.ProjectId);

        // The answer comes while the project has not handled the report at all (it cannot: it is held).
        await AcceptAsync(quote);
        await hold.Reached.WaitAsync(Generous);
        Assert.False(hold.IsReleased);
        Assert.Equal("accepted", await ProposalStatusAsync(quote.QuoteId));
        // The staff email is enqueued only by the project's handling, which is held: it cannot exist yet.
        Assert.Equal(messagesBefore, (await projectMail.List()).Count);

        hold.Release();

        var entry = await AcceptedEntryAsync(quote.ProjectId, quote.QuoteId);
        Assert.Equal("Jane Smith", entry["by"]!.Str("name"));
        var project = await Api.GetOkAsync($"/api/projects/{quote.ProjectId}");
        Assert.Equal("accepted", Assert.Single(project["proposals"]!.AsArray(), p => p!.Id() == quote.QuoteId)!.Str("status"));
        await Eventually.ValueAsync(
            () => Api.MessagesAsync(quote.ProjectId),
            messages => messages.Any(m => m!.Str("to") == NotificationEmail),
            "the staff email about the accept",
            show: messages => messages.ToJsonString());
        var item = await feed.NextItemAsync(i => i.ProjectId == quote.ProjectId && i.Verb == "accepted", Generous);
        Assert.Contains(quote.Number, item.Text, StringComparison.Ordinal);
        var pushed = await otherPage.UntilVersionAsync(watchedVersion + 1, Generous);
        Assert.True(pushed[^1].Version > watchedVersion);
    }

    [Fact]
    public async Task An_accept_answers_while_the_project_work_fails_and_the_retry_delivers_it_once()
    {
        using var quote = await OpenQuoteAsync();
        var hold = fixture.Reports.Fail(quote.ProjectId);

        await AcceptAsync(quote);
        await hold.Reached.WaitAsync(Generous);
        Assert.Equal("accepted", await ProposalStatusAsync(quote.QuoteId));

        hold.Release();

        await AcceptedEntryAsync(quote.ProjectId, quote.QuoteId);
        Assert.True(hold.Attempts >= 1);
        var log = (await Api.GetOkAsync($"/api/projects/{quote.ProjectId}/activity")).AsArray();
        Assert.Single(log, e => e!.Str("type") == ActivityTypes.ProposalAccepted);
        var project = await Api.GetOkAsync($"/api/projects/{quote.ProjectId}");
        Assert.Equal("accepted", Assert.Single(project["proposals"]!.AsArray(), p => p!.Id() == quote.QuoteId)!.Str("status"));
    }
}
