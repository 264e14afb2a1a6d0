using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// A proposal or invoice grain: after each stored change it reports its summary and the activity the change
/// produced to its project in one call. The report is part of the stored change, so if the project cannot be
/// reached it is retried by a timer and on the next activation; the project ignores repeats.
/// </summary>
public abstract class DocumentGrain<TState>(IPersistentState<TState> state, ILogger logger)
    : PortalGrain<TState>(state, logger)
    where TState : class, IReportsToProject, new()
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(15);

    private IGrainTimer? _retry;

    protected Guid Id => this.GetPrimaryKey();

    /// <summary>The summary the project shows for this document.</summary>
    protected abstract DocumentChange Summarise(IReadOnlyList<ActivityInput> activity);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.ProjectStale || State.PendingActivity.Count > 0)
        {
            ScheduleRetry(TimeSpan.Zero);
        }
        return base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Adds an activity entry to the change about to be stored.</summary>
    protected void Record(string type, Actor by, decimal? amount = null, string? currency = null, string? detail = null) =>
        State.PendingActivity.Add(new ActivityInput(
            Guid.NewGuid(), type, Now, by, Id, DocumentNumber, DocumentKind, amount, currency, detail));

    protected abstract string DocumentNumber { get; }

    protected abstract DocumentKind DocumentKind { get; }

    /// <summary>Stores the change (with its report marked pending), then reports it to the project.</summary>
    protected async Task CommitAndReportAsync(Func<Task>? beforeWrite = null)
    {
        State.ProjectStale = true;
        await CommitAsync(beforeWrite);
        await ReportAsync();
    }

    /// <summary>
    /// Stores the change (with its report marked pending) and answers; the report is delivered right after, as
    /// the grain's next turn (a timer due at once), with the same retry on failure. Keeps a caller's request to
    /// the one durable write this grain owns; the project summary, its emails and the feed follow.
    /// </summary>
    protected async Task CommitAndReportAfterAnswerAsync()
    {
        State.ProjectStale = true;
        await CommitAsync();
        ScheduleRetry(TimeSpan.Zero);
    }

    /// <summary>Delivers the pending report; on failure keeps it and retries later. Never throws.</summary>
    protected async Task ReportAsync()
    {
        if (!State.ProjectStale && State.PendingActivity.Count == 0)
        {
            return;
        }
        var batch = State.PendingActivity.ToList();
        try
        {
            await GrainFactory.GetGrain<IProjectGrain>(State.ProjectId).ApplyDocumentChange(Summarise(batch));
            // Delivered: forget it in memory; the next stored change persists that (a repeat is harmless).
            State.PendingActivity.RemoveRange(0, batch.Count);
            State.ProjectStale = false;
            _retry?.Dispose();
            _retry = null;
        }
        catch (Exception failure)
        {
            Logger.LogWarning(failure, "{Grain} could not report to project {ProjectId}; retrying", this.GetGrainId(), State.ProjectId);
            ScheduleRetry(FirstRetry);
        }
    }

    private void ScheduleRetry(TimeSpan dueTime)
    {
        _retry ??= this.RegisterGrainTimer(
            _ => ReportAsync(),
            new GrainTimerCreationOptions(dueTime, RetryPeriod) { Interleave = false, KeepAlive = true });
    }
}
