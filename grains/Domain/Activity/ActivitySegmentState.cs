namespace Portal.Domain;

/// <summary>One archived run of a project's activity log (see <see cref="ActivitySegments"/>); written once.</summary>
public sealed class ActivitySegmentState
{
    public List<ActivityEntry> Entries { get; set; } = [];

    /// <summary>
    /// Stores the segment's entries. A segment is written once: storing it again (the project retrying after a
    /// failure between this write and its own) changes nothing and returns false.
    /// </summary>
    public bool Store(long number, IReadOnlyList<ActivityEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (Entries.Count > 0)
        {
            return false;
        }
        var first = ActivitySegments.FirstSequenceOf(number);
        if (entries.Count != ActivitySegments.Size || entries.Where((e, i) => e.Sequence != first + i).Any())
        {
            throw new ArgumentException(
                $"Segment {number} holds the {ActivitySegments.Size} entries from sequence {first} on, in order.", nameof(entries));
        }
        Entries = [.. entries];
        return true;
    }

    public ActivityEntry? Find(Guid entryId) => Entries.Find(e => e.Id == entryId);
}
