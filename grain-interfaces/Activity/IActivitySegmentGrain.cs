using System.Globalization;

namespace Portal;

/// <summary>
/// Older entries of a project's activity log, in a row of their own so the project's state stays small. Keyed by
/// the project id and the segment number (0, 1, …; see <see cref="ActivitySegmentKeys"/>). Only the project writes it, before it
/// drops the entries from its own state, so an entry may briefly exist in both places but is never lost.
/// </summary>
public interface IActivitySegmentGrain : IGrainWithGuidCompoundKey
{
    /// <summary>Stores the segment's entries; a segment already stored is kept as it is (a retry changes nothing).</summary>
    Task Store(IReadOnlyList<ActivityEntry> entries);

    /// <summary>The segment's entries, oldest first (empty when never stored).</summary>
    Task<IReadOnlyList<ActivityEntry>> Get();

    /// <summary>The entry with this id, or null when the segment does not hold it.</summary>
    Task<ActivityEntry?> Find(Guid entryId);
}

public static class ActivitySegmentKeys
{
    /// <summary>Segment <paramref name="number"/> of project <paramref name="projectId"/>'s activity log.</summary>
    public static IActivitySegmentGrain ActivitySegment(this IGrainFactory grains, Guid projectId, long number)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IActivitySegmentGrain>(projectId, number.ToString(CultureInfo.InvariantCulture));
    }
}
