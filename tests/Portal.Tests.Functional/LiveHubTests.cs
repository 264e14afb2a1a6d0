using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Live;

namespace Portal.Tests.Functional;

/// <summary>Live updates over SignalR on a real Kestrel: /hubs/portal for portal pages, /hubs/staff for the feed.</summary>
public sealed class LiveHubTests : IAsyncLifetime
{
    private PortalTestHost _host = null!;

    private HttpClient Api => _host.Api;
    private LiveRegistry Registry => _host.Services.GetRequiredService<LiveRegistry>();

    public async Task InitializeAsync() =>
        _host = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Portal:Live:RefreshInterval"] = "00:00:02" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_watching_page_gets_every_change_once_in_version_order()
    {
        var (_, projectId, _, invoiceId, _, browser) = await LiveScenario.ClientWithInvoiceAsync(_host);
        await using var page = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        var rendered = await Api.ProjectVersionAsync(projectId);

        Assert.Equal(rendered, await page.WatchAsync(projectId, rendered));

        await Api.PayAsync(invoiceId, 10m);
        var startsAt = DateTimeOffset.UtcNow.AddDays(3);
        await Api.PostOkAsync($"/api/projects/{projectId}/events", new { name = "Fitting day", startsAt, endsAt = startsAt.AddHours(8) });
        await Api.PayAsync(invoiceId, 20m);
        await Api.PostOkAsync($"/api/projects/{projectId}/complete", null, HttpStatusCode.OK);
        var final = await Api.ProjectVersionAsync(projectId);

        var events = await page.UntilVersionAsync(final);
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal(projectId, e.ProjectId));
        Assert.Equal(events.Select(e => e.Version).Order(), events.Select(e => e.Version));
        Assert.Equal(events.Count, events.Select(e => e.Version).Distinct().Count());
        Assert.True(events[0].Version > rendered);
        Assert.Contains("invoices", events[0].Parts);
        Assert.Contains("bookings", events[1].Parts);
        Assert.Contains("status", events[3].Parts);
        Assert.Equal(final, events[^1].Version);
    }

    [Fact]
    public async Task A_page_that_reconnects_learns_it_missed_changes_and_a_current_one_does_not()
    {
        var (_, projectId, _, invoiceId, _, browser) = await LiveScenario.ClientWithInvoiceAsync(_host);
        var rendered = await Api.ProjectVersionAsync(projectId);
        await using (var first = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies))
        {
            Assert.Equal(rendered, await first.WatchAsync(projectId, rendered));
        }

        // While the page is offline the invoice is paid.
        await Api.PayAsync(invoiceId);
        var now = await Api.ProjectVersionAsync(projectId);
        Assert.True(now > rendered);

        await using var again = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        Assert.Equal(now, await again.WatchAsync(projectId, rendered));
        // Nothing older is replayed; the next change arrives as usual.
        await Api.PayAsync(invoiceId);
        var next = await again.NextAsync();
        Assert.True(next.Version > now);
    }

    [Fact]
    public async Task The_node_subscribes_once_for_all_its_pages_and_unsubscribes_when_the_last_leaves()
    {
        var (_, projectId, _, invoiceId, _, browser) = await LiveScenario.ClientWithInvoiceAsync(_host);
        using var meter = new LiveMeterReader(_host.Services);
        long Subscribes() => meter.Total(LiveMetrics.Subscribes, LiveKinds.Project);
        long Unsubscribes() => meter.Total(LiveMetrics.Unsubscribes, LiveKinds.Project);

        var a = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        var b = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        await a.WatchAsync(projectId);
        await b.WatchAsync(projectId);
        await b.WatchAsync(projectId); // watching twice is still one watcher

        Assert.Equal(2, Registry.WatchersOf(projectId));
        Assert.Equal(1, Subscribes());
        Assert.Equal(1, meter.Total(LiveMetrics.Subscriptions, LiveKinds.Project));
        Assert.Equal(2, meter.Total(LiveMetrics.Connections, "portal"));

        await Api.PayAsync(invoiceId);
        Assert.Equal((await a.NextAsync()).Version, (await b.NextAsync()).Version);
        // Read once both pages have the event: the grain notifies one-way, so the relay can finish after the API
        // call returned (the node counts before it sends, so it is counted by now).
        Assert.Equal(1, meter.Total(LiveMetrics.EventsRelayed));

        await a.DisposeAsync();
        await LiveScenario.Eventually(() => Registry.WatchersOf(projectId) == 1, "the first page to leave");
        Assert.Equal(0, Unsubscribes());

        await b.DisposeAsync();
        await LiveScenario.Eventually(() => Unsubscribes() == 1, "the unsubscribe after the last page");
        Assert.Equal(0, Registry.WatchersOf(projectId));
        Assert.Equal(0, meter.Total(LiveMetrics.Subscriptions, LiveKinds.Project));
        await LiveScenario.Eventually(() => meter.Total(LiveMetrics.Connections, "portal") == 0, "both connections to be forgotten");

        // A page arriving later subscribes the node again.
        await using var c = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        await c.WatchAsync(projectId);
        Assert.Equal(2, Subscribes());
    }

    [Fact]
    public async Task Portal_hub_refuses_connections_without_a_session_and_projects_of_other_clients()
    {
        var (_, projectId, _, _, _, browser) = await LiveScenario.ClientWithInvoiceAsync(_host, "Jane Smith");
        var (_, otherProject, _, _, _, _) = await LiveScenario.ClientWithInvoiceAsync(_host, "Someone Else");

        await using (var anonymous = LivePortalPage.Build(_host.BaseUri, cookies: null))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await using var page = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        var other = await Assert.ThrowsAsync<HubException>(() => page.WatchAsync(otherProject));
        Assert.Contains("no such project", other.Message);
        var unknown = await Assert.ThrowsAsync<HubException>(() => page.WatchAsync(Guid.NewGuid()));
        Assert.Equal(other.Message, unknown.Message);
        Assert.Equal(0, Registry.WatchersOf(otherProject));

        // Its own project is fine on the same connection.
        Assert.True(await page.WatchAsync(projectId) > 0);
    }

    [Fact]
    public async Task Staff_hub_needs_the_api_key_or_a_staff_session()
    {
        var (_, _, _, _, _, browser) = await LiveScenario.ClientWithInvoiceAsync(_host);

        foreach (var key in new string?[] { null, "not-the-key" })
        {
            await using var refused = LiveStaffFeed.Build(_host.BaseUri, key);
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        // A client's portal session is not staff.
        await using (var portalCookie = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.BaseUri, "/hubs/staff"), o => o.Cookies = browser.Cookies).Build())
        {
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => portalCookie.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        // The API key is never accepted in a URL: a script exchanges it for a short-lived hub token, which is (what the
        // JavaScript client sends as the access_token query) …
        await using (var keyInQuery = LiveStaffFeed.Build(_host.BaseUri, PortalTestHost.ApiKey, queryToken: true))
        {
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => keyInQuery.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }
        var token = await Api.PostOkAsync("/api/live/token", null, HttpStatusCode.OK);
        var accessToken = token["accessToken"]!.GetValue<string>();
        Assert.StartsWith(LiveAccessTokens.Prefix, accessToken, StringComparison.Ordinal);
        Assert.InRange(token["expiresAt"]!.GetValue<DateTimeOffset>() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        await using (var query = LiveStaffFeed.Build(_host.BaseUri, accessToken, queryToken: true))
        {
            await query.StartAsync();
            Assert.NotNull(await query.InvokeAsync<FeedSnapshotMessage>("Snapshot"));
        }
        // … and as a bearer header on the hub, but it is no key for the API.
        await using (var header = LiveStaffFeed.Build(_host.BaseUri, accessToken))
        {
            await header.StartAsync();
        }
        using (var api = _host.CreateClient())
        {
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await api.GetAsync("/api/company");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        // Neither key nor token is accepted in the query on the API.
        using (var api = _host.CreateClient())
        using (var response = await api.GetAsync($"/api/company?access_token={PortalTestHost.ApiKey}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await using var feed = await LiveStaffFeed.OpenAsync(_host.BaseUri, PortalTestHost.ApiKey);
        Assert.NotNull(await feed.Connection.InvokeAsync<FeedSnapshotMessage>("Snapshot"));
    }

    [Fact]
    public async Task The_staff_feed_shows_views_and_payments_with_client_document_and_amount_and_presence()
    {
        await using var feed = await LiveStaffFeed.OpenAsync(_host.BaseUri, PortalTestHost.ApiKey);
        var (clientId, projectId, number, invoiceId, invoiceNumber, browser) = await LiveScenario.ClientWithInvoiceAsync(_host, "Jane Smith");

        // The client opens the invoice page: the first open marks it viewed.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/invoices/{invoiceId}")).Status);
        var viewed = await feed.NextItemAsync(i => i.ProjectId == projectId && i.Verb == "viewed");
        Assert.Equal($"Jane Smith viewed Invoice {invoiceNumber} (Project #{number})", viewed.Text);
        Assert.Equal(clientId, viewed.ClientId);

        // Staff record a bank transfer: the feed names the client, the amount and the invoice.
        await Api.PayAsync(invoiceId, 1250m);
        var paid = await feed.NextItemAsync(i => i.ProjectId == projectId && i.Verb == "paid");
        Assert.Equal($"Jane Smith paid £1,250.00 on {invoiceNumber} (Project #{number})", paid.Text);
        Assert.Equal("£1,250.00", paid.Amount);

        // Presence: a page of the project open, then closed.
        var page = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        await page.WatchAsync(projectId);
        var viewing = await feed.NextPresenceAsync(p => p.ProjectId == projectId);
        Assert.True(viewing.Viewing);
        Assert.Equal($"Jane Smith is viewing Project #{number} now", viewing.Text);
        var snapshot = await feed.Connection.InvokeAsync<FeedSnapshotMessage>("Snapshot");
        Assert.Contains(snapshot.Presence, p => p.ProjectId == projectId);
        Assert.Contains(snapshot.Items, i => i.Id == paid.Id);

        await page.DisposeAsync();
        var left = await feed.NextPresenceAsync(p => p.ProjectId == projectId);
        Assert.False(left.Viewing);
    }

    [Fact]
    public async Task Editing_a_sent_quote_tells_the_watching_page_which_document_changed()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        var url = (await Api.SendAsync("proposals", quoteId)).Str("portalUrl");
        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(url);
        await using var page = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        await page.WatchAsync(projectId);

        using (var edit = await Api.PutAsync($"/api/proposals/{quoteId}", System.Net.Http.Json.JsonContent.Create(new
        {
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = new[] { new { description = "Supply and fit units", quantity = 12m, unitPrice = 185m, vatRate = 20m } },
        })))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        var change = await page.NextAsync();
        Assert.Contains("proposals", change.Parts);
        Assert.Contains(change.Documents, d => d.DocumentId == quoteId && d.Type == ActivityTypes.ProposalEdited);
    }

    [Fact]
    public async Task Revoking_a_link_withdraws_the_pages_opened_through_it_and_only_those()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var revokedLink = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        var keptLink = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using var revokedBrowser = new PortalBrowser(_host);
        await revokedBrowser.EnterAsync(revokedLink.Str("url"));
        using var keptBrowser = new PortalBrowser(_host);
        await keptBrowser.EnterAsync(keptLink.Str("url"));

        await using var revokedPage = await LivePortalPage.OpenAsync(_host.BaseUri, revokedBrowser.Cookies);
        await using var keptPage = await LivePortalPage.OpenAsync(_host.BaseUri, keptBrowser.Cookies);
        await revokedPage.WatchAsync(projectId);
        await keptPage.WatchAsync(projectId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        revokedPage.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        using (var revoke = await Api.DeleteAsync($"/api/portal-links/{revokedLink.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await revokedPage.Withdrawn.WaitAsync(TimeSpan.FromSeconds(10));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Connected, keptPage.Connection.State);

        // Coming back with the revoked session is refused.
        await using var retry = LivePortalPage.Build(_host.BaseUri, revokedBrowser.Cookies);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => retry.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Echo_answers_on_the_portal_hub_and_no_echo_hub_or_node_route_is_served()
    {
        var (_, _, _, _, _, browser) = await LiveScenario.ClientWithInvoiceAsync(_host);
        await using var page = await LivePortalPage.OpenAsync(_host.BaseUri, browser.Cookies);
        Assert.Equal("ping", await page.Connection.InvokeAsync<string>("Echo", "ping"));

        // The measurement-only echo hub and node route are gone from the product.
        await using var empty = LiveStaffFeed.Build(_host.BaseUri, PortalTestHost.ApiKey, "/hubs/echo");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => empty.StartAsync());
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var node = await Api.GetAsync("/api/live/node?gc=true");
        Assert.Equal(HttpStatusCode.NotFound, node.StatusCode);
    }
}
