namespace Portal.Domain;

/// <summary>
/// Checks a log handed over in pieces (the archived segments, oldest first, then the project's tail), so the
/// whole chain is verified without holding it in memory at once. Reports the first entry that does not match, as
/// <see cref="ActivityChain.Verify"/> does.
/// </summary>
public sealed class ActivityChainVerifier
{
    private string _expectedPrevious = ActivityChain.Genesis;
    private (long Sequence, string Problem)? _broken;

    /// <summary>How many entries were handed over (all of them, also after a break).</summary>
    public int Entries { get; private set; }

    public bool Ok => _broken is null;

    public ActivityVerification Result => _broken is { } broken
        ? new ActivityVerification(false, Entries, broken.Sequence, broken.Problem, null)
        : new ActivityVerification(true, Entries, null, null, _expectedPrevious);

    /// <summary>Checks the next entries of the chain (counting them after a break too, but checking no further).</summary>
    public void Check(IEnumerable<ActivityEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Entries++;
            if (_broken is null)
            {
                _broken = Problem(entry, Entries);
                _expectedPrevious = entry.Hash;
            }
        }
    }

    /// <summary>Entries the chain should hold from <paramref name="sequence"/> on are missing.</summary>
    public void Missing(long sequence, string what) => _broken ??= (sequence, $"Entries from {sequence} on are missing ({what}).");

    private (long, string)? Problem(ActivityEntry entry, long position)
    {
        if (entry.Sequence != position)
        {
            return (entry.Sequence, $"Entry {position} carries sequence {entry.Sequence}.");
        }
        if (!string.Equals(entry.PreviousHash, _expectedPrevious, StringComparison.Ordinal))
        {
            return (entry.Sequence, $"Entry {entry.Sequence} does not link to the entry before it.");
        }
        if (!string.Equals(entry.Hash, ActivityChain.HashOf(entry), StringComparison.Ordinal))
        {
            return (entry.Sequence, $"Entry {entry.Sequence} was changed after it was recorded.");
        }
        return null;
    }
}
