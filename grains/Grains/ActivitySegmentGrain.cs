using System.Globalization;
using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>Keyed by (project id, segment number): see <see cref="IActivitySegmentGrain"/>.</summary>
public sealed class ActivitySegmentGrain(
    [PersistentState("activity-segment", StorageNames.Portal)] IPersistentState<ActivitySegmentState> state,
    ILogger<ActivitySegmentGrain> logger)
    : PortalGrain<ActivitySegmentState>(state, logger), IActivitySegmentGrain
{
    private long Number
    {
        get
        {
            this.GetPrimaryKey(out var extension);
            return long.Parse(extension!, NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }

    public async Task Store(IReadOnlyList<ActivityEntry> entries)
    {
        if (State.Store(Number, entries))
        {
            await CommitAsync();
        }
    }

    public Task<IReadOnlyList<ActivityEntry>> Get() => Task.FromResult<IReadOnlyList<ActivityEntry>>([.. State.Entries]);

    public Task<ActivityEntry?> Find(Guid entryId) => Task.FromResult(State.Find(entryId));
}
