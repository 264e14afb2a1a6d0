namespace Portal.Domain;

/// <summary>
/// How a project's activity log is split so the project's own row stays small: the project keeps the newest
/// entries (at most <see cref="TailLimit"/>) and moves older ones, <see cref="Size"/> at a time, to segment rows of
/// their own. Segment n holds the entries with sequence n·Size+1 … (n+1)·Size, so a segment's number follows from
/// its entries and writing one twice is the same write.
/// </summary>
public static class ActivitySegments
{
    public const int Size = 50;

    public const int TailLimit = 100;

    /// <summary>
    /// How long the project remembers the ids of entries it archived: longer than a company-local day (up to 25
    /// hours around a clock change) plus clock skew, so "once per day" entries stay once per day.
    /// </summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(2);

    public static long NumberOf(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return (sequence - 1) / Size;
    }

    public static long FirstSequenceOf(long segment) => (segment * Size) + 1;
}
