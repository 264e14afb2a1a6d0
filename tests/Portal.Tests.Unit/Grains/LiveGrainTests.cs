using System.Threading.Channels;

namespace Portal.Tests.Grains;

/// <summary>Project and feed grains tell their observers after stored changes, and stop when unsubscribed.</summary>
[Collection(ClusterCollection.Name)]
public class LiveGrainTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    private sealed class Recorder : IProjectObserver, ICompanyFeedObserver
    {
        public Channel<ProjectChanged> Projects { get; } = Channel.CreateUnbounded<ProjectChanged>();
        public Channel<FeedItem> Items { get; } = Channel.CreateUnbounded<FeedItem>();
        public Channel<PresenceChanged> Presence { get; } = Channel.CreateUnbounded<PresenceChanged>();
        public Channel<Guid> Revoked { get; } = Channel.CreateUnbounded<Guid>();

        public Task OnProjectChanged(ProjectChanged change) => Write(Projects, change);
        public Task OnFeedItem(FeedItem item) => Write(Items, item);
        public Task OnPresenceChanged(PresenceChanged change) => Write(Presence, change);
        public Task OnLinkRevoked(Guid linkId) => Write(Revoked, linkId);
        public Task OnStaffSessionsEnded(Guid userId) => Task.CompletedTask;
        public Task OnApiKeyRemoved(string keyHash) => Task.CompletedTask;

        private static Task Write<T>(Channel<T> channel, T value)
        {
            channel.Writer.TryWrite(value);
            return Task.CompletedTask;
        }
    }

    private static async Task<T> Next<T>(Channel<T> channel)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await channel.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task A_project_tells_its_watchers_each_stored_change_with_a_growing_version_until_they_leave()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var recorder = new Recorder();
        var observer = Grains.CreateObjectReference<IProjectObserver>(recorder);
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);

        var subscribed = await project.Subscribe(observer);
        Assert.Equal((await project.Get()).Version, subscribed);

        await invoice.RecordManualPayment(Sample.Payment(10m));
        var paid = await Next(recorder.Projects);
        Assert.True(paid.Version > subscribed);
        Assert.True(paid.Parts.HasFlag(ProjectParts.Invoices) && paid.Parts.HasFlag(ProjectParts.Activity));
        Assert.Contains(paid.Activity, a => a.Type == ActivityTypes.PaymentSucceeded);
        Assert.Equal((setup.CompanyId, setup.ClientId, setup.ProjectNumber), (paid.CompanyId, paid.ClientId, paid.ProjectNumber));

        await project.AddBooking("Survey", Clock.GetUtcNow().AddDays(1), Clock.GetUtcNow().AddDays(1).AddHours(1));
        var booked = await Next(recorder.Projects);
        Assert.Equal(ProjectParts.Bookings, booked.Parts);
        Assert.Equal(paid.Version + 1, booked.Version);
        Assert.Empty(booked.Activity);

        // A refused change stores nothing and tells nobody.
        await Assert.ThrowsAsync<PortalRuleViolation>(() => project.Reopen());

        // After leaving, the completion is not told. A later change made once the watcher is back is the marker:
        // the grain tells one watcher its changes in order, so the first thing to arrive must be the reopening.
        await project.Unsubscribe(observer);
        var completed = await project.Complete();
        Assert.Equal(booked.Version + 1, completed.Version);
        Assert.Equal(completed.Version, await project.Subscribe(observer));
        var reopened = await project.Reopen();
        var next = await Next(recorder.Projects);
        Assert.Equal(reopened.Version, next.Version);
        Assert.Equal(completed.Version + 1, next.Version);

        await project.Unsubscribe(observer);
        Grains.DeleteObjectReference<IProjectObserver>(observer);
    }

    [Fact]
    public async Task The_company_feed_relays_client_activity_with_the_client_name_presence_and_revoked_links()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var recorder = new Recorder();
        var observer = Grains.CreateObjectReference<ICompanyFeedObserver>(recorder);
        var feed = Grains.GetGrain<ICompanyFeedGrain>(setup.CompanyId);
        await feed.Subscribe(observer);

        // Sending is staff work, not in the feed; a payment recorded by staff is, under the client's name.
        await invoice.RecordManualPayment(Sample.Payment(10m));
        var item = await Next(recorder.Items);
        Assert.Equal(ActivityTypes.PaymentSucceeded, item.Entry.Type);
        Assert.Equal("Jane Smith", item.ClientName);
        Assert.Equal(setup.ProjectNumber, item.ProjectNumber);

        var viewer = new PresenceEntry(setup.ProjectId, setup.ProjectNumber, setup.ClientId, "Jane Smith");
        await feed.UpdatePresence("node-1", viewer, true);
        Assert.Equal(new PresenceChanged(viewer, true), await Next(recorder.Presence));
        Assert.Contains(viewer, (await feed.GetSnapshot()).Presence);
        await feed.ReportPresence(new NodePresence("node-1", []));
        Assert.Equal(new PresenceChanged(viewer, false), await Next(recorder.Presence));

        var link = Grains.GetGrain<IPortalLinkGrain>(Guid.NewGuid().ToString("N"));
        var linkId = Guid.NewGuid();
        await link.Issue(new IssuePortalLink(linkId, setup.CompanyId, setup.ClientId, new LinkTarget(LinkTargetKind.AllProjects, null), Clock.GetUtcNow().AddDays(1)));
        await link.Revoke();
        Assert.Equal(linkId, await Next(recorder.Revoked));

        await feed.Unsubscribe(observer);
        Grains.DeleteObjectReference<ICompanyFeedObserver>(observer);
    }
}
