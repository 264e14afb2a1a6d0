using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Portal.Domain;
using Xunit.Abstractions;

namespace Portal.Tests.Grains;

/// <summary>A client looping on "Make a payment" stores one entry a day, and a long log leaves the project's row small.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Security")]
public class ActivityGrowthGrainTests(PortalClusterFixture fixture, ITestOutputHelper output) : GrainTestBase(fixture)
{
    private sealed class Recorder : IProjectObserver, ICompanyFeedObserver
    {
        public Channel<ProjectChanged> Projects { get; } = Channel.CreateUnbounded<ProjectChanged>();
        public Channel<FeedItem> Items { get; } = Channel.CreateUnbounded<FeedItem>();

        public Task OnProjectChanged(ProjectChanged change) => Write(Projects, change);
        public Task OnFeedItem(FeedItem item) => Write(Items, item);
        public Task OnPresenceChanged(PresenceChanged change) => Task.CompletedTask;
        public Task OnLinkRevoked(Guid linkId) => Task.CompletedTask;
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

    // Staff edits: neither emailed nor in the staff feed, so only the log grows.
    private ActivityInput Entry(int i) => new(
        Guid.NewGuid(), ActivityTypes.ProposalEdited, Clock.GetUtcNow().AddSeconds(i), Actor.Staff, Guid.NewGuid(), "Q-0001",
        DocumentKind.Quote, 10m + i, "GBP", $"edit {i}");

    /// <summary>The project's row as stored, and its size in the storage's JSON.</summary>
    private async Task<(ProjectState State, int Bytes)> StoredProjectAsync(IProjectGrain project)
    {
        var storage = Fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Portal);
        var stored = new GrainState<ProjectState>();
        await storage.ReadStateAsync("project", project.GetGrainId(), stored);
        return (stored.State!, JsonSerializer.SerializeToUtf8Bytes(stored.State, StateJson.Options).Length);
    }

    [Fact]
    public async Task Five_hundred_bank_detail_reveals_by_one_client_on_one_day_store_one_entry_and_tell_staff_once()
    {
        var setup = await CreateProjectAsync();
        var invoice = await CreateSentInvoiceAsync(setup);
        var invoiceView = await invoice.Get();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var recorder = new Recorder();
        var projectObserver = Grains.CreateObjectReference<IProjectObserver>(recorder);
        var feedObserver = Grains.CreateObjectReference<ICompanyFeedObserver>(recorder);
        await project.Subscribe(projectObserver);
        var feed = Grains.GetGrain<ICompanyFeedGrain>(setup.CompanyId);
        await feed.Subscribe(feedObserver);
        var client = Sample.ClientActor(setup.ClientId);

        // What the "Make a payment" action records: the entry id is the invoice's, the client's and the London day's.
        var day = LocalDay.Today(Clock.GetUtcNow(), Sample.London);
        ActivityInput Reveal(int i) => new(
            ActivityIds.BankDetailsRevealed(invoiceView.Id, setup.ClientId, day), ActivityTypes.BankDetailsRevealed,
            Clock.GetUtcNow().AddSeconds(i), client, invoiceView.Id, invoiceView.Number, DocumentKind.Invoice, invoiceView.Balance, "GBP");
        var versionBefore = (await project.Get()).Version;

        var first = await project.RecordActivity(Reveal(0));
        for (var i = 1; i < 500; i++)
        {
            Assert.Equal(first, await project.RecordActivity(Reveal(i)));
        }

        var reveals = (await project.GetActivity()).Where(e => e.Type == ActivityTypes.BankDetailsRevealed).ToList();
        Assert.Equal(new[] { first }, reveals);
        Assert.Equal(versionBefore + 1, (await project.Get()).Version);

        // Watchers and the staff feed heard of the first only: the next thing each hears is a later, different change.
        Assert.Equal(new[] { first }, (await Next(recorder.Projects)).Activity);
        Assert.Equal(first, (await Next(recorder.Items)).Entry);
        await project.AddBooking("Survey", Clock.GetUtcNow().AddDays(1), Clock.GetUtcNow().AddDays(1).AddHours(1));
        Assert.Equal(ProjectParts.Bookings, (await Next(recorder.Projects)).Parts);
        var nextDay = first.At.AddDays(1);
        var tomorrow = await project.RecordActivity(Reveal(0) with
        {
            Id = ActivityIds.BankDetailsRevealed(invoiceView.Id, setup.ClientId, LocalDay.Today(nextDay, Sample.London)),
            At = nextDay,
        });
        Assert.Equal(tomorrow, (await Next(recorder.Items)).Entry);
        Assert.Equal(2, (await feed.GetSnapshot()).Recent.Count(item => item.Entry.Type == ActivityTypes.BankDetailsRevealed));

        await project.Unsubscribe(projectObserver);
        await feed.Unsubscribe(feedObserver);
        Grains.DeleteObjectReference<IProjectObserver>(projectObserver);
        Grains.DeleteObjectReference<ICompanyFeedObserver>(feedObserver);
    }

    [Fact]
    public async Task Two_hundred_and_fifty_entries_leave_at_most_the_tail_in_the_project_row_and_verify_across_the_segments()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        for (var i = 0; i < ActivitySegments.TailLimit; i++)
        {
            await project.RecordActivity(Entry(i));
        }
        var (_, bytesAtTheLimit) = await StoredProjectAsync(project);
        var recorded = new List<ActivityEntry>();
        for (var i = ActivitySegments.TailLimit; i < 250; i++)
        {
            recorded.Add(await project.RecordActivity(Entry(i)));
        }

        var (stored, bytes) = await StoredProjectAsync(project);
        output.WriteLine(
            $"project row: {bytesAtTheLimit:N0} bytes with {ActivitySegments.TailLimit} entries, {bytes:N0} bytes with 250 " +
            $"({stored.Activity.Count} in the row, {stored.ArchivedSegmentCount()} segments of {ActivitySegments.Size})");
        Assert.True(stored.Activity.Count <= ActivitySegments.TailLimit);
        Assert.Equal(3, stored.ArchivedSegmentCount());
        Assert.True(bytes <= bytesAtTheLimit + 1_000, $"{bytes} bytes after 250 entries, {bytesAtTheLimit} after {ActivitySegments.TailLimit}");

        var log = await project.GetActivity();
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.Equal(recorded, log.Skip(ActivitySegments.TailLimit));
        var verification = await project.VerifyActivity();
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(250, verification.Entries);
        Assert.Equal(log[^1].Hash, verification.HeadHash);

        // A page crosses from one segment to the next, and into the tail.
        Assert.Equal(Enumerable.Range(46, 10).Select(i => (long)i), (await project.GetActivityPage(45, 10)).Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(146, 10).Select(i => (long)i), (await project.GetActivityPage(145, 10)).Select(e => e.Sequence));
        Assert.Empty(await project.GetActivityPage(250, 10));

        // Everything is stored: fresh activations of the project and a segment read the same chain.
        await Fixture.Cluster.DeactivateAsync(project);
        await Fixture.Cluster.DeactivateAsync(Grains.ActivitySegment(setup.ProjectId, 0));
        Assert.Equal(log.Select(e => e.Hash), (await project.GetActivity()).Select(e => e.Hash));
        Assert.True((await project.VerifyActivity()).Ok);
    }

    [Fact]
    public async Task A_report_or_a_days_reveal_repeated_after_its_entry_was_archived_is_still_recorded_once()
    {
        var setup = await CreateProjectAsync();
        var project = Grains.GetGrain<IProjectGrain>(setup.ProjectId);
        var early = Entry(0);
        var original = await project.RecordActivity(early);
        var client = Sample.ClientActor(setup.ClientId);
        var invoiceId = Guid.NewGuid();
        var day = LocalDay.Today(Clock.GetUtcNow(), Sample.London);
        ActivityInput Reveal(DateTimeOffset at) => new(
            ActivityIds.BankDetailsRevealed(invoiceId, setup.ClientId, day), ActivityTypes.BankDetailsRevealed,
            at, client, invoiceId, "INV-0001", DocumentKind.Invoice, 100m, "GBP");
        var revealed = await project.RecordActivity(Reveal(Clock.GetUtcNow()));
        for (var i = 1; i < ActivitySegments.TailLimit; i++)
        {
            await project.RecordActivity(Entry(i));
        }
        Assert.Equal(ActivitySegments.Size + 1, (await StoredProjectAsync(project)).State.Activity[0].Sequence);
        var version = (await project.Get()).Version;

        // A document grain delivering its old report again (it forgot in memory only that it had delivered it).
        Assert.Equal(original, await project.RecordActivity(early));
        await project.ApplyDocumentChange(new DocumentChange(null, null, [early]));
        // The client asking for the bank details again later that day: a time after every archived entry, the day's
        // id, so only the project's memory of the day's archived reveals finds it.
        Assert.Equal(revealed, await project.RecordActivity(Reveal(Clock.GetUtcNow().AddMinutes(10))));

        Assert.Equal(version, (await project.Get()).Version);
        Assert.Equal(ActivitySegments.TailLimit + 1, (await project.GetActivity()).Count);
        Assert.Single(await project.GetActivity(), e => e.Id == early.Id);
        Assert.Single(await project.GetActivity(), e => e.Id == revealed.Id);
    }
}
