using Portal.Domain;

namespace Portal.Tests.Domain;

public class ActivityChainTests
{
    private static ActivityInput Input(string type = ActivityTypes.ProposalViewed, decimal? amount = null, string? detail = null) =>
        new(Guid.NewGuid(), type, Sample.Now, Sample.ClientActor(), Guid.NewGuid(), "Q-0001", DocumentKind.Quote, amount, "GBP", detail);

    private static List<ActivityEntry> Log(int count)
    {
        var log = new List<ActivityEntry>();
        for (var i = 0; i < count; i++)
        {
            log.Add(ActivityChain.Append(log, Input(amount: 100m + i, detail: $"entry {i}")));
        }
        return log;
    }

    [Fact]
    public void Entries_are_numbered_from_one_and_each_links_to_the_one_before()
    {
        var log = Log(3);
        Assert.Equal([1L, 2L, 3L], log.Select(e => e.Sequence));
        Assert.Equal(ActivityChain.Genesis, log[0].PreviousHash);
        Assert.Equal(log[0].Hash, log[1].PreviousHash);
        Assert.Equal(log[1].Hash, log[2].PreviousHash);
        Assert.All(log, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
        var verification = ActivityChain.Verify(log);
        Assert.True(verification.Ok);
        Assert.Equal(3, verification.Entries);
        Assert.Equal(log[2].Hash, verification.HeadHash);
    }

    [Fact]
    public void An_empty_log_verifies()
    {
        var verification = ActivityChain.Verify([]);
        Assert.True(verification.Ok);
        Assert.Equal(ActivityChain.Genesis, verification.HeadHash);
    }

    [Fact]
    public void The_hash_is_the_same_for_the_same_content_whatever_the_offset_of_the_time()
    {
        var input = Input(amount: 12.5m);
        var utc = ActivityChain.Append([], input);
        var helsinki = ActivityChain.Append([], input with { At = input.At.ToOffset(TimeSpan.FromHours(2)) });
        Assert.Equal(utc.Hash, helsinki.Hash);
        Assert.Equal(TimeSpan.Zero, helsinki.At.Offset);
        Assert.Equal(12.50m, utc.Amount);
    }

    [Fact]
    public void Changing_any_field_of_a_stored_entry_is_reported_at_that_entry()
    {
        var log = Log(4);
        var changes = new Func<ActivityEntry, ActivityEntry>[]
        {
            e => e with { Amount = e.Amount + 1 },
            e => e with { Detail = "edited" },
            e => e with { Type = ActivityTypes.ProposalAccepted },
            e => e with { At = e.At.AddSeconds(1) },
            e => e with { By = e.By with { Name = "Someone else" } },
            e => e with { DocumentNumber = "Q-9999" },
        };
        foreach (var change in changes)
        {
            var tampered = log.ToList();
            tampered[2] = change(tampered[2]);
            var verification = ActivityChain.Verify(tampered);
            Assert.False(verification.Ok);
            Assert.Equal(3, verification.FirstBrokenSequence);
            Assert.Contains("changed", verification.Problem);
        }
    }

    [Fact]
    public void Removing_or_reordering_entries_is_reported()
    {
        var log = Log(4);
        var removed = log.Where(e => e.Sequence != 2).ToList();
        var verification = ActivityChain.Verify(removed);
        Assert.False(verification.Ok);
        Assert.Equal(3, verification.FirstBrokenSequence);

        // Rewriting the removed entry's successors with fresh sequence numbers still breaks the links.
        var renumbered = removed.Select((e, i) => e with { Sequence = i + 1 }).ToList();
        Assert.False(ActivityChain.Verify(renumbered).Ok);

        var swapped = log.ToList();
        (swapped[1], swapped[2]) = (swapped[2], swapped[1]);
        Assert.False(ActivityChain.Verify(swapped).Ok);
    }

    [Fact]
    public void A_rehashed_entry_still_breaks_the_link_of_the_next_one()
    {
        var log = Log(3);
        var forged = log[1] with { Detail = "forged" };
        log[1] = forged with { Hash = ActivityChain.HashOf(forged) };
        var verification = ActivityChain.Verify(log);
        Assert.False(verification.Ok);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Contains("does not link", verification.Problem);
    }

    [Fact]
    public void The_project_records_an_entry_once_per_id_and_bumps_its_version()
    {
        var project = new ProjectState();
        project.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1001, "Kitchen", null), Sample.Now);
        var input = Input();
        Assert.True(project.RecordActivity(input));
        var version = project.Version;
        Assert.False(project.RecordActivity(input));
        Assert.Equal(version, project.Version);
        Assert.Single(project.Activity);
        Assert.True(project.RecordActivity(Input()));
        Assert.True(ActivityChain.Verify(project.Activity).Ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void The_project_refuses_an_entry_without_a_type(string type)
    {
        var project = new ProjectState();
        project.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1001, "Kitchen", null), Sample.Now);
        Refuse.With("validation.activity", RuleKind.Invalid, () => project.RecordActivity(Input(type)));
        Assert.Empty(project.Activity);
    }
}
