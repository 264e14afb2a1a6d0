using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Live;

namespace Portal.Tests.Functional;

/// <summary>One portal page cannot make a node hold unbounded subscriptions or presence reports.</summary>
[Trait("Category", "Security")]
public sealed class LiveLimitsTests
{
    [Fact]
    public async Task A_connection_follows_at_most_the_configured_number_of_projects_and_is_refused_beyond_it()
    {
        await using var host = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:Live:MaxWatchesPerConnection"] = "2",
        });
        var clientId = await host.Api.CreateClientAsync("Jane Smith");
        var projects = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            projects.Add((await host.Api.CreateProjectAsync(clientId)).Id);
        }
        var link = await host.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using var browser = new PortalBrowser(host);
        await browser.EnterAsync(link.Str("url"));
        await using var page = await LivePortalPage.OpenAsync(host.BaseUri, browser.Cookies);

        await page.WatchAsync(projects[0]);
        await page.WatchAsync(projects[1]);
        await page.WatchAsync(projects[1]); // the same project again is no new watch
        var refused = await Assert.ThrowsAsync<HubException>(() => page.WatchAsync(projects[2]));
        Assert.Contains("already follows 2 projects", refused.Message);

        // After letting one go, another fits.
        await page.Connection.InvokeAsync("Unwatch", projects[0]);
        await page.WatchAsync(projects[2]);
        Assert.Equal(0, host.Services.GetRequiredService<LiveRegistry>().WatchersOf(projects[0]));
    }

    [Fact]
    public void Presence_reports_waiting_for_the_feed_grains_are_bounded()
    {
        // A tracker whose pump never runs: joins and leaves pile up, but never beyond the bound.
        var tracker = new PresenceTracker(null!, Microsoft.Extensions.Logging.Abstractions.NullLogger<PresenceTracker>.Instance);
        var company = Guid.NewGuid();
        for (var i = 0; i < PresenceTracker.MaxQueuedReports * 3; i++)
        {
            var entry = new PresenceEntry(Guid.NewGuid(), 1000 + i, Guid.NewGuid(), "Jane Smith");
            tracker.Join(company, entry);
            tracker.Leave(company, entry);
        }
        Assert.Equal(PresenceTracker.MaxQueuedReports, tracker.QueuedReports);
    }
}
