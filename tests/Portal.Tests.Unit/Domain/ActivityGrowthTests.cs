using System.Text.Json;
using Portal.Domain;
using Xunit.Abstractions;

namespace Portal.Tests.Domain;

/// <summary>
/// What keeps a project's and a company's state from growing without end: the activity log's tail and its archived
/// segments (still one verifiable chain), one bank-details entry per invoice, client and day, and the link index
/// forgetting links a day after they expire.
/// </summary>
[Trait("Category", "Security")]
public class ActivityGrowthTests(ITestOutputHelper output)
{
    private static ProjectState OpenProject()
    {
        var state = new ProjectState();
        state.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1001, "Kitchen refit", null), Sample.Now);
        return state;
    }

    private static ActivityInput Input(int i) => new(
        Guid.NewGuid(), ActivityTypes.PaymentSucceeded, Sample.Now.AddMinutes(i), Actor.Staff, Guid.NewGuid(), "INV-0001",
        DocumentKind.Invoice, 10m + i, "GBP", $"payment {i}");

    /// <summary>Appends like the project grain does: each append, then every full segment stored before it is dropped.</summary>
    private static Dictionary<long, ActivitySegmentState> Append(ProjectState project, int count, int from = 0)
    {
        var segments = new Dictionary<long, ActivitySegmentState>();
        for (var i = from; i < from + count; i++)
        {
            Assert.True(project.RecordActivity(Input(i)));
            while (project.SegmentToArchive() is { } segment)
            {
                var stored = new ActivitySegmentState();
                Assert.True(stored.Store(segment.Number, segment.Entries));
                segments.Add(segment.Number, stored);
                project.DropArchived(segment.Number, Sample.Now.AddMinutes(i));
            }
        }
        return segments;
    }

    private static ActivityVerification Verify(ProjectState project, IReadOnlyDictionary<long, ActivitySegmentState> segments)
    {
        var verifier = new ActivityChainVerifier();
        for (var number = 0L; number < project.ArchivedSegmentCount(); number++)
        {
            if (segments.TryGetValue(number, out var segment))
            {
                verifier.Check(segment.Entries);
            }
            else
            {
                verifier.Missing(ActivitySegments.FirstSequenceOf(number), $"segment {number}");
            }
        }
        verifier.Check(project.Activity);
        return verifier.Result;
    }

    [Fact]
    public void The_tail_keeps_at_most_the_limit_and_older_entries_move_in_whole_segments_that_verify_as_one_chain()
    {
        var project = OpenProject();
        var segments = Append(project, 250);

        Assert.True(project.Activity.Count <= ActivitySegments.TailLimit);
        Assert.Equal(3, project.ArchivedSegmentCount());
        Assert.Equal([0L, 1L, 2L], segments.Keys.Order());
        Assert.All(segments, s => Assert.Equal(ActivitySegments.FirstSequenceOf(s.Key), s.Value.Entries[0].Sequence));
        Assert.Equal(151, project.Activity[0].Sequence);
        Assert.Equal(250, project.LastSequence());
        Assert.Equal(segments[2].Entries[^1].Hash, project.Activity[0].PreviousHash);

        var verification = Verify(project, segments);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(250, verification.Entries);
        Assert.Equal(project.Activity[^1].Hash, verification.HeadHash);

        // The same chain, held whole, verifies to the same head.
        var whole = segments.OrderBy(s => s.Key).SelectMany(s => s.Value.Entries).Concat(project.Activity).ToList();
        Assert.Equal(verification, ActivityChain.Verify(whole));
    }

    [Fact]
    public void Changing_an_entry_in_an_old_segment_is_detected_at_that_entry()
    {
        var project = OpenProject();
        var segments = Append(project, 250);
        var entries = segments[1].Entries;
        entries[7] = entries[7] with { Amount = entries[7].Amount + 1 };

        var verification = Verify(project, segments);
        Assert.False(verification.Ok);
        Assert.Equal(58, verification.FirstBrokenSequence);
        Assert.Equal(250, verification.Entries);
    }

    [Fact]
    public void A_missing_or_shortened_segment_breaks_the_chain()
    {
        var project = OpenProject();
        var segments = Append(project, 250);

        var withoutOne = segments.Where(s => s.Key != 1).ToDictionary();
        var missing = Verify(project, withoutOne);
        Assert.False(missing.Ok);
        Assert.Equal(51, missing.FirstBrokenSequence);

        segments[0].Entries.RemoveAt(49);
        var shortened = Verify(project, segments);
        Assert.False(shortened.Ok);
        Assert.Equal(51, shortened.FirstBrokenSequence);
    }

    [Fact]
    public void A_segment_is_written_once_and_holds_exactly_its_own_sequences()
    {
        var project = OpenProject();
        Append(project, ActivitySegments.TailLimit);
        Assert.Null(project.SegmentToArchive());
        Assert.True(project.RecordActivity(Input(ActivitySegments.TailLimit)));
        var segment = project.SegmentToArchive()!.Value;

        var stored = new ActivitySegmentState();
        Assert.True(stored.Store(segment.Number, segment.Entries));
        Assert.False(stored.Store(segment.Number, segment.Entries));
        Assert.Throws<ArgumentException>(() => new ActivitySegmentState().Store(1, segment.Entries));
        Assert.Throws<ArgumentException>(() => new ActivitySegmentState().Store(0, [.. segment.Entries.Take(10)]));
        Assert.Throws<InvalidOperationException>(() => project.DropArchived(1, Sample.Now));
    }

    [Fact]
    public void Only_an_input_dated_at_or_before_the_newest_archived_entry_can_repeat_an_archived_one()
    {
        var project = OpenProject();
        Assert.False(project.MayRepeatArchived(Input(0)));
        var first = Input(0);
        Assert.True(project.RecordActivity(first));
        Append(project, ActivitySegments.TailLimit, from: 1);

        Assert.Equal(Sample.Now.AddMinutes(49), project.ArchivedUntil);
        // A delivery repeated long after the first: its entry is archived, and the grain must ask the segments.
        Assert.True(project.MayRepeatArchived(first));
        // A new entry (dated after everything archived), or a repeat of one still in the tail, needs no look.
        Assert.False(project.MayRepeatArchived(Input(200)));
        var inTail = project.Activity[0];
        Assert.False(project.MayRepeatArchived(new ActivityInput(inTail.Id, inTail.Type, inTail.At, inTail.By)));
    }

    [Fact]
    public void A_days_bank_details_entry_is_still_found_as_a_repeat_after_it_was_archived_that_day()
    {
        var project = OpenProject();
        var invoice = Guid.NewGuid();
        var client = Guid.NewGuid();
        ActivityInput Reveal(DateTimeOffset at) => new(
            ActivityIds.BankDetailsRevealed(invoice, client, LocalDay.Today(at, Sample.London)), ActivityTypes.BankDetailsRevealed, at,
            Sample.ClientActor(client), invoice, "INV-0001", DocumentKind.Invoice, 100m, "GBP");
        Assert.True(project.RecordActivity(Reveal(Sample.Now)));
        Append(project, ActivitySegments.TailLimit, from: 1);
        Assert.DoesNotContain(project.Activity, e => e.Type == ActivityTypes.BankDetailsRevealed);

        // Later the same day the client asks again: a later time, the same id, and the project knows it archived it.
        var again = Reveal(Sample.Now.AddHours(5));
        Assert.True(project.MayRepeatArchived(again));
        Assert.False(project.RecordActivity(again));
        Assert.Single(project.RecentlyArchived);

        // Two days on, the id is forgotten by the project (the next day's entry has another id anyway).
        Append(project, ActivitySegments.TailLimit, from: 3 * 24 * 60);
        Assert.Empty(project.RecentlyArchived);
        Assert.False(project.MayRepeatArchived(Reveal(Sample.Now.AddDays(4))));
    }

    [Fact]
    public void The_stored_project_state_stays_the_same_size_however_long_the_log_grows()
    {
        var project = OpenProject();
        Append(project, 250);
        var at250 = JsonSerializer.SerializeToUtf8Bytes(project, StateJson.Options).Length;
        Append(project, 2750, from: 250);
        var at3000 = JsonSerializer.SerializeToUtf8Bytes(project, StateJson.Options).Length;

        output.WriteLine($"project state: {at250:N0} bytes after 250 entries, {at3000:N0} bytes after 3,000 (tail {project.Activity.Count} entries)");
        Assert.True(project.Activity.Count <= ActivitySegments.TailLimit);
        Assert.InRange(at3000, at250 - 1_000, at250 + 1_000);
        Assert.True(at3000 < 100_000, $"{at3000} bytes");
    }

    [Fact]
    public void Bank_details_entries_are_one_per_invoice_client_and_company_day()
    {
        var invoice = Guid.NewGuid();
        var client = Guid.NewGuid();
        var day = LocalDay.Today(Sample.Now, Sample.London);
        var late = LocalDay.Today(new DateTimeOffset(2026, 6, 15, 22, 59, 0, TimeSpan.Zero), Sample.London);
        var nextLondonDay = LocalDay.Today(new DateTimeOffset(2026, 6, 15, 23, 0, 0, TimeSpan.Zero), Sample.London);

        Assert.Equal(ActivityIds.BankDetailsRevealed(invoice, client, day), ActivityIds.BankDetailsRevealed(invoice, client, late));
        Assert.NotEqual(ActivityIds.BankDetailsRevealed(invoice, client, day), ActivityIds.BankDetailsRevealed(invoice, client, nextLondonDay));
        Assert.NotEqual(ActivityIds.BankDetailsRevealed(invoice, client, day), ActivityIds.BankDetailsRevealed(invoice, Guid.NewGuid(), day));
        Assert.NotEqual(ActivityIds.BankDetailsRevealed(invoice, client, day), ActivityIds.BankDetailsRevealed(Guid.NewGuid(), client, day));
    }

    [Fact]
    public void The_company_forgets_links_a_day_after_they_expire()
    {
        var company = new CompanyState();
        company.Create("Acme Heating", null, Sample.Now);
        var client = Guid.NewGuid();
        var expiring = new PortalLinkRecord(Guid.NewGuid(), client, new string('a', 64), Sample.Now.AddDays(1));
        var live = new PortalLinkRecord(Guid.NewGuid(), client, new string('b', 64), Sample.Now.AddDays(90));
        Assert.True(company.RegisterPortalLink(expiring, Sample.Now));
        Assert.True(company.RegisterPortalLink(live, Sample.Now));

        // Expired, within the grace: still listed (as expired, by the link) and found, so staff see it just lapsed.
        var lapsed = expiring.ExpiresAt.AddHours(1);
        Assert.Equal([expiring, live], company.ListPortalLinks(client, lapsed));
        Assert.Equal(expiring, company.FindPortalLink(expiring.LinkId, lapsed));
        Assert.Equal(0, company.PruneExpiredLinks(lapsed));

        // Past the grace: neither listed nor found, and the next registration drops it from the state.
        var later = expiring.ExpiresAt + CompanyState.ExpiredLinkGrace;
        Assert.Equal([live], company.ListPortalLinks(client, later));
        Assert.Null(company.FindPortalLink(expiring.LinkId, later));
        Assert.True(company.RegisterPortalLink(live, later));
        Assert.Equal([live.LinkId], company.PortalLinks.Keys);

        // A link registered only after its grace (a very late retry) is not kept.
        var stale = new PortalLinkRecord(Guid.NewGuid(), client, new string('c', 64), Sample.Now);
        Assert.False(company.RegisterPortalLink(stale, later));
        Assert.Equal([live.LinkId], company.PortalLinks.Keys);
    }

    [Fact]
    public void Thousands_of_expired_links_leave_the_company_state()
    {
        var company = new CompanyState();
        company.Create("Acme Heating", null, Sample.Now);
        for (var i = 0; i < 2000; i++)
        {
            company.RegisterPortalLink(new PortalLinkRecord(Guid.NewGuid(), Guid.NewGuid(), $"{i:x64}", Sample.Now.AddDays(1)), Sample.Now);
        }
        Assert.Equal(2000, company.PortalLinks.Count);
        Assert.Equal(2000, company.PruneExpiredLinks(Sample.Now.AddDays(3)));
        Assert.Empty(company.PortalLinks);
    }
}
