using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Live;

namespace Portal.Tests.Functional;

/// <summary>
/// Two web processes in client mode against one silo: each node has its own observers and SignalR groups, with no
/// backplane, and a change made through either reaches pages connected to the other (see <see cref="TwoWebNodes"/>).
/// </summary>
public sealed class TwoWebNodesLiveTests : IAsyncLifetime
{
    private TwoWebNodes _nodes = null!;
    private PortalTestHost _webA = null!;
    private PortalTestHost _webB = null!;

    public async Task InitializeAsync()
    {
        _nodes = await TwoWebNodes.StartAsync();
        (_webA, _webB) = (_nodes.A, _nodes.B);
    }

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_change_made_through_one_web_node_reaches_pages_and_staff_connected_to_the_other()
    {
        var api = _webA.Api;
        var clientId = await api.CreateClientAsync("Jane Smith");
        var (projectId, number) = await api.CreateProjectAsync(clientId);
        var (invoiceId, invoiceNumber) = await api.CreateInvoiceAsync(projectId, 50_000m);
        var url = (await api.SendAsync("invoices", invoiceId)).Str("portalUrl");

        // One page on each node; the staff feed on node B.
        using var browserA = new PortalBrowser(_webA);
        await browserA.EnterAsync(url);
        using var browserB = new PortalBrowser(_webB);
        await browserB.EnterAsync(url);
        await using var pageA = await LivePortalPage.OpenAsync(_webA.BaseUri, browserA.Cookies);
        await using var pageB = await LivePortalPage.OpenAsync(_webB.BaseUri, browserB.Cookies);
        await using var staffB = await LiveStaffFeed.OpenAsync(_webB.BaseUri, PortalTestHost.ApiKey);
        var version = await api.ProjectVersionAsync(projectId);
        Assert.Equal(version, await pageA.WatchAsync(projectId, version));
        Assert.Equal(version, await pageB.WatchAsync(projectId, version));

        // Each node observes the project itself.
        Assert.Equal(1, _webA.Services.GetRequiredService<LiveRegistry>().WatchersOf(projectId));
        Assert.Equal(1, _webB.Services.GetRequiredService<LiveRegistry>().WatchersOf(projectId));
        Assert.NotEqual(_webA.Services.GetRequiredService<LiveRegistry>().NodeId, _webB.Services.GetRequiredService<LiveRegistry>().NodeId);

        // Paid through A: B's page and B's staff feed hear of it.
        await api.PayAsync(invoiceId, 500m);
        var afterA = await api.ProjectVersionAsync(projectId);
        Assert.Equal(afterA, (await pageB.UntilVersionAsync(afterA))[^1].Version);
        Assert.Equal(afterA, (await pageA.UntilVersionAsync(afterA))[^1].Version);
        var paid = await staffB.NextItemAsync(i => i.ProjectId == projectId && i.Verb == "paid");
        Assert.Equal($"Jane Smith paid £500.00 on {invoiceNumber} (Project #{number})", paid.Text);

        // A booking made through B reaches A's page.
        var startsAt = DateTimeOffset.UtcNow.AddDays(2);
        await _webB.Api.PostOkAsync($"/api/projects/{projectId}/events", new { name = "Survey", startsAt, endsAt = startsAt.AddHours(1) });
        var afterB = await _webB.Api.ProjectVersionAsync(projectId);
        var onA = await pageA.UntilVersionAsync(afterB);
        Assert.Contains("bookings", onA[^1].Parts);

        // Presence from A's page shows on B's staff feed.
        var viewing = await staffB.Connection.InvokeAsync<FeedSnapshotMessage>("Snapshot");
        Assert.Contains(viewing.Presence, p => p.ProjectId == projectId && p.ClientName == "Jane Smith");
    }
}
