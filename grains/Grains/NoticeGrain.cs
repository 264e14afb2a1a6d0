using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// A grain whose stored changes owe other grains a notification (a project owes its client's "All Projects" and its
/// company's index; a link owes the company's list). The debt is written with the change (<see cref="OweAsync"/>
/// before the write), made after it (<see cref="TellAsync"/>), and kept until made: retried in memory after a failure,
/// on the next activation, and by the retry reminder when the silo died between the write and the notification. The
/// receivers are idempotent, so a repeat is harmless.
/// </summary>
public abstract class NoticeGrain<TState>(IPersistentState<TState> state, ILogger logger)
    : PortalGrain<TState>(state, logger), IRemindable
    where TState : class, IOwesNotices, new()
{
    private static readonly Notices[] Each = [.. Enum.GetValues<Notices>().Where(n => n != Notices.None)];

    /// <summary>What making <paramref name="notice"/> is: its description for the log and the call.</summary>
    protected abstract (string What, Func<Task> Notify) Notice(Notices notice);

    /// <summary>Records that the change about to be stored owes <paramref name="notices"/>, and makes their retry durable.</summary>
    protected async Task OweAsync(Notices notices)
    {
        State.PendingNotices |= notices;
        await ArmRetryAsync();
    }

    /// <summary>After the write: makes what is owed; what fails is retried.</summary>
    protected async Task TellAsync()
    {
        if (await DeliverAsync())
        {
            RetrySoon();
        }
    }

    /// <summary>Makes what is owed; answers whether anything still is. The clear is stored with the next change.</summary>
    private async Task<bool> DeliverAsync()
    {
        foreach (var notice in Each)
        {
            if (State.PendingNotices.HasFlag(notice))
            {
                var (what, notify) = Notice(notice);
                if (await TryNotifyAsync(what, notify))
                {
                    State.PendingNotices &= ~notice;
                }
            }
        }
        return State.PendingNotices != Notices.None;
    }

    protected override bool HasPendingNotices => State.PendingNotices != Notices.None;

    protected override async Task<bool> RetryPendingAsync()
    {
        if (State.PendingNotices == Notices.None)
        {
            return false;
        }
        var pending = await DeliverAsync();
        if (!pending)
        {
            // Caught up after a failure or a restart: store that, so the next activation does not tell again.
            await NotifyAsync("store that its notifications are made", () => CommitAsync());
        }
        return pending;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == RetryReminder ? OnRetryReminderAsync() : Task.CompletedTask;
}
