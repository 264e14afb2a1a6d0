using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain;
using Portal.Mail;

namespace Portal.Grains;

/// <summary>
/// One message of the outbox. Enqueue lists it in its <see cref="IMailOutboxGrain"/> shard and then stores it, and
/// answers only after both; a grain timer then makes the attempts: the state is stored as Sending before the server
/// is contacted and as Sent, Pending (next attempt after a backoff) or Failed after. The shard's long-lived reminder
/// resumes a pending message after a restart or deactivation (an attempt found still Sending then was cut short and
/// is made again with the same Message-Id); once the message is finished the shard is told to forget it.
/// Per message that is three writes of its own (Pending, Sending, Sent), one of the project index (membership) and a
/// share of the shard's writes — no reminder registered or removed per message.
/// </summary>
public sealed class MailMessageGrain(
    [PersistentState("mail-message", StorageNames.Portal)] IPersistentState<MailMessageState> state,
    ILogger<MailMessageGrain> logger)
    : PortalGrain<MailMessageState>(state, logger), IMailMessageGrain, IRemindable
{
    /// <summary>The per-message reminder of earlier versions: still honoured for messages stored with one, never registered now.</summary>
    public const string DeliveryReminder = "mail-delivery";

    // After a failed write the attempt loop waits this long before looking again.
    private static readonly TimeSpan StorageRetryDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _attempt;

    // The server took the message but storing Sent failed: remembered so the next turn records it instead of
    // sending again. Lost only if this activation dies before that.
    private (DateTimeOffset At, string Reply)? _acceptedButNotStored;

    private Guid Id => this.GetPrimaryKey();

    private MailDeliveryOptions Options => ServiceProvider.GetService<IOptions<MailDeliveryOptions>>()?.Value ?? new MailDeliveryOptions();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Created && !State.IsFinished)
        {
            ScheduleAttempt(TimeSpan.Zero);
        }
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<MailMessageView> Enqueue(OutgoingMail mail)
    {
        if (!State.Enqueue(Id, mail, Options.MessageIdDomain, Now))
        {
            return State.ToView(Id);
        }
        // Listed in the outbox shard before the write: a stored message is always listed, and an id listed for a
        // message that was never stored is dropped at the shard's next tick (Resume answers false).
        await CommitAsync(() => GrainFactory.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.ShardOf(Id)).Add(Id));
        await TrackAsync();
        ScheduleAttempt(TimeSpan.Zero);
        return State.ToView(Id);
    }

    public Task<MailMessageView> Get() => Task.FromResult(State.ToView(Id));

    public Task<bool> Resume()
    {
        if (!State.Created || State.IsFinished)
        {
            return Task.FromResult(false);
        }
        // The timer makes the attempt, so a slow server never holds up the shard's reminder.
        if (_attempt is null || State.IsDue(Now))
        {
            ScheduleAttempt(TimeSpan.Zero);
        }
        return Task.FromResult(true);
    }

    // Only messages stored by an earlier version have this reminder; it goes once the message is finished.
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeliveryReminder)
        {
            return;
        }
        if (!await Resume())
        {
            await StopReminderAsync();
        }
    }

    private async Task AttemptAsync()
    {
        _attempt?.Dispose();
        _attempt = null;
        try
        {
            await AttemptOnceAsync();
        }
        catch (Exception failure)
        {
            // Storing failed (CommitAsync already put the stored state back); look again shortly.
            Logger.LogWarning(failure, "Delivering message {MessageId} could not be recorded; retrying", Id);
            ScheduleAttempt(StorageRetryDelay);
        }
    }

    private async Task AttemptOnceAsync()
    {
        if (!State.Created || State.IsFinished)
        {
            return;
        }
        if (_acceptedButNotStored is { } accepted && State.Status == MailStatus.Sending)
        {
            State.RecordAccepted(accepted.At, accepted.Reply);
            await CommitAsync();
            _acceptedButNotStored = null;
            await FinishAsync();
            return;
        }
        _acceptedButNotStored = null;
        var now = Now;
        if (State.RecoverInterruptedAttempt(now))
        {
            Logger.LogWarning("Message {MessageId} was being sent when its previous activation stopped; sending it again with the same Message-Id", Id);
        }
        if (!State.IsDue(now))
        {
            ScheduleAttempt((State.NextAttemptAt ?? now) - now);
            return;
        }
        var transport = ServiceProvider.GetService<IMailTransport>();
        if (transport is null)
        {
            // A host without outbound mail (e.g. a test cluster): the message waits for one that has it.
            Logger.LogWarning("No mail transport is registered on this silo; message {MessageId} stays pending", Id);
            return;
        }

        State.BeginAttempt(now);
        await CommitAsync();
        await TrackAsync();

        var envelope = new MailEnvelope(
            State.MessageId, State.SenderName, State.ReplyTo, new MailRecipient(State.ToAddress, State.ToName),
            State.Subject, State.HtmlBody ?? "", State.TextBody ?? "", State.CreatedAt);
        MailDeliveryResult result;
        try
        {
            result = await transport.SendAsync(envelope, CancellationToken.None);
        }
        catch (Exception failure)
        {
            result = MailDeliveryResult.Transient(failure.Message);
        }

        var done = Now;
        switch (result.Outcome)
        {
            case MailDeliveryOutcome.Accepted:
                State.RecordAccepted(done, result.Detail);
                break;
            case MailDeliveryOutcome.PermanentFailure:
                State.RecordPermanentFailure(done, result.Detail);
                Logger.LogWarning("Message {MessageId} to the SMTP server failed permanently: {Detail}", Id, result.Detail);
                break;
            default:
                State.RecordTransientFailure(done, result.Detail, Options.Schedule);
                Logger.LogInformation("Message {MessageId} attempt {Attempt} failed ({Detail}); status {Status}", Id, State.Attempts, result.Detail, State.Status);
                break;
        }
        try
        {
            await CommitAsync();
        }
        catch when (result.Outcome == MailDeliveryOutcome.Accepted)
        {
            _acceptedButNotStored = (done, result.Detail);
            throw;
        }
        await FinishAsync();
    }

    private async Task FinishAsync()
    {
        await TrackAsync();
        if (State.IsFinished)
        {
            // One-way and lazily stored by the shard; if it is lost, the shard's next tick finds the message finished.
            await NotifyAsync("leave the outbox", () => GrainFactory.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.ShardOf(Id)).Remove(Id));
            return;
        }
        var now = Now;
        ScheduleAttempt((State.NextAttemptAt ?? now) - now);
    }

    private void ScheduleAttempt(TimeSpan due)
    {
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }
        _attempt?.Dispose();
        // A long wait lets the activation go; the reminder brings it back when the attempt is due.
        _attempt = this.RegisterGrainTimer(
            _ => AttemptAsync(),
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = due <= Options.PendingCheckInterval });
    }

    private async Task StopReminderAsync()
    {
        try
        {
            var reminder = await this.GetReminder(DeliveryReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception failure)
        {
            // It fires again, finds the message finished and tries again; nothing is sent twice.
            Logger.LogWarning(failure, "Could not remove the delivery reminder of message {MessageId}", Id);
        }
    }

    private Task TrackAsync() =>
        NotifyAsync("update the project's message list", () => GrainFactory.GetGrain<IProjectMailGrain>(State.ProjectId).Track(State.ToView(Id)));
}
