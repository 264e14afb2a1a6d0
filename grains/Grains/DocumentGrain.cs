using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// A proposal or invoice grain: after each stored change it reports its summary and the activity the change
/// produced to its project in one call. The report is part of the stored change, so if the project cannot be
/// reached it is retried by a timer, on the next activation, and by the retry reminder armed before the write (so a
/// silo that dies between the write and the report leaves it to another); the project ignores repeats. A send (Sent
/// status, link, email) is finished the same way: see <see cref="SendAsync"/>.
/// </summary>
public abstract class DocumentGrain<TState>(IPersistentState<TState> state, ILogger logger)
    : PortalGrain<TState>(state, logger), IRemindable
    where TState : class, ISendsToClient, new()
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(15);

    private IGrainTimer? _retry;

    // The report on its way to the project: one at a time, so the project receives them in the order they were stored.
    private Task? _delivering;

    // Counts changes marked for reporting, so a delivery that ends after a newer change was marked leaves that mark.
    private long _marked;

    protected Guid Id => this.GetPrimaryKey();

    /// <summary>The summary the project shows for this document.</summary>
    protected abstract DocumentChange Summarise(IReadOnlyList<ActivityInput> activity);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.ProjectStale || State.PendingActivity.Count > 0 || State.PendingSend is not null)
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
        await ArmRetryAsync();
        MarkForReport();
        await CommitAsync(beforeWrite);
        await ReportAsync();
    }

    /// <summary>
    /// Stores the change (with its report marked pending) and answers; the report is on its way as the answer
    /// leaves, with the same retry on failure. Keeps a caller's request to the one durable write this grain owns;
    /// the project summary, its emails and the feed follow, and this grain answers other calls meanwhile.
    /// </summary>
    protected async Task CommitAndReportAfterAnswerAsync()
    {
        await ArmRetryAsync();
        MarkForReport();
        await CommitAsync();
        _ = StartDelivery();
    }

    /// <summary>Delivers the pending report (after one already on its way) and waits for it. Never throws.</summary>
    protected async Task ReportAsync()
    {
        if (_delivering is { } running)
        {
            await running;
        }
        if (StartDelivery() is { } delivery)
        {
            await delivery;
        }
    }

    private void MarkForReport()
    {
        State.ProjectStale = true;
        _marked++;
    }

    private bool ReportPending => State.ProjectStale || State.PendingActivity.Count > 0;

    /// <summary>
    /// Starts delivering what is stored as pending, unless a delivery is under way. Called only where the state is
    /// the stored one (after a write, or from the non-interleaving timer), so the report never carries a change
    /// that was not stored. The delivery is not part of the caller's turn: while the project works, this grain
    /// answers other calls (the signed page's own fetch among them).
    /// </summary>
    private Task? StartDelivery()
    {
        if (_delivering is { IsCompleted: false } || !ReportPending)
        {
            return null;
        }
        return _delivering = DeliverAsync();
    }

    private async Task DeliverAsync()
    {
        var marked = _marked;
        var batch = State.PendingActivity.ToList();
        var change = Summarise(batch);
        try
        {
            await GrainFactory.GetGrain<IProjectGrain>(State.ProjectId).ApplyDocumentChange(change);
            // Delivered: forget it in memory; the next stored change persists that (a repeat is harmless). Entries
            // recorded meanwhile were appended after the batch, and a change marked meanwhile stays marked.
            State.PendingActivity.RemoveRange(0, Math.Min(batch.Count, State.PendingActivity.Count));
            if (marked == _marked)
            {
                State.ProjectStale = false;
            }
            if (ReportPending)
            {
                // A change stored (or being made) meanwhile: its report starts from the stored state, at once.
                ScheduleRetry(TimeSpan.Zero);
            }
            else
            {
                StopRetryWhenCaughtUp();
            }
        }
        catch (Exception failure)
        {
            Logger.LogWarning(failure, "{Grain} could not report to project {ProjectId}; retrying", this.GetGrainId(), State.ProjectId);
            ScheduleRetry(FirstRetry);
        }
    }

    /// <summary>
    /// A send as one durable step. The Sent status (<paramref name="markSent"/>, which refuses a document that
    /// cannot be sent) and the pending email are stored in one write; then the link is issued, the email stored in
    /// the outbox and the send recorded as finished, each step idempotent under ids derived from the document and
    /// the send number. If a step after the write fails, the caller gets the failure and the timer finishes the
    /// send; a repeated call finishes the stored send (its link and email, not the new request's) and answers it.
    /// </summary>
    protected async Task<SentEmail> SendAsync(SendDocument command, LinkTargetKind target, Action markSent, Func<Task>? beforeWrite = null)
    {
        ArgumentNullException.ThrowIfNull(markSent);
        if (State.PendingSend is null)
        {
            var send = PendingSend.Start(Id, State.SendCount + 1, State, target, command, Now);
            markSent();
            State.SendCount = send.Number;
            State.PendingSend = send;
            await CommitAndReportAsync(beforeWrite);
        }
        return await FinishSendAsync();
    }

    private async Task<SentEmail> FinishSendAsync()
    {
        var send = State.PendingSend!;
        var steps = ServiceProvider.GetService<IDocumentSendObserver>();
        try
        {
            steps?.Passed(Id, DocumentSendStep.MarkedSent);
            await GrainFactory.GetGrain<IPortalLinkGrain>(send.TokenHash).Issue(send.Link);
            steps?.Passed(Id, DocumentSendStep.LinkIssued);
            var message = await GrainFactory.GetGrain<IMailMessageGrain>(send.MessageId).Enqueue(send.Mail);
            steps?.Passed(Id, DocumentSendStep.MailEnqueued);
            // The outbox holds the email (and so the link's token) now; the document forgets both.
            State.PendingSend = null;
            await CommitAsync();
            StopRetryWhenCaughtUp();
            return new SentEmail(send.Link.LinkId, send.PortalUrl, send.Link.ExpiresAt, message);
        }
        catch (Exception failure)
        {
            Logger.LogWarning(failure, "{Grain} could not finish send {Send}; retrying", this.GetGrainId(), send.Number);
            ScheduleRetry(FirstRetry);
            throw;
        }
    }

    private void StopRetryWhenCaughtUp()
    {
        if (State.ProjectStale || State.PendingActivity.Count > 0 || State.PendingSend is not null)
        {
            return;
        }
        _retry?.Dispose();
        _retry = null;
    }

    private void ScheduleRetry(TimeSpan dueTime)
    {
        if (_retry is not null)
        {
            if (dueTime == TimeSpan.Zero)
            {
                _retry.Change(dueTime, RetryPeriod);
            }
            return;
        }
        _retry = this.RegisterGrainTimer(
            _ => OnRetryTickAsync(),
            new GrainTimerCreationOptions(dueTime, RetryPeriod) { Interleave = false, KeepAlive = true });
    }

    /// <summary>
    /// The timer's turn (it does not interleave, so the state is the stored one): starts the pending report's
    /// delivery without waiting for it, then finishes a pending send. With nothing left to report or send and no
    /// delivery on its way, the timer goes, so the grain can be deactivated again. Never throws.
    /// </summary>
    private async Task OnRetryTickAsync()
    {
        _ = StartDelivery();
        if (State.PendingSend is not null)
        {
            try
            {
                await FinishSendAsync();
            }
            catch (Exception)
            {
                // Logged by FinishSendAsync, and the timer stays armed for the next try.
            }
            return;
        }
        if (_delivering is not { IsCompleted: false })
        {
            StopRetryWhenCaughtUp();
        }
    }

    /// <summary>The retry reminder's tick (a grain turn): delivers the pending report and finishes a pending send.</summary>
    protected override async Task<bool> RetryPendingAsync()
    {
        await ReportAsync();
        if (State.PendingSend is not null)
        {
            try
            {
                await FinishSendAsync();
            }
            catch (Exception)
            {
                // Logged by FinishSendAsync; the reminder ticks again.
            }
        }
        return ReportPending || State.PendingSend is not null;
    }

    /// <summary>Reminders of this document: the notification retry here; a subclass adds its own.</summary>
    public virtual Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == RetryReminder ? OnRetryReminderAsync() : Task.CompletedTask;
}
