using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Grains;

/// <summary>
/// What every Portal grain shares: its persistent state, the clock, and the rule that a change is acknowledged
/// only once it is stored, with notifications to other grains after that.
/// </summary>
public abstract class PortalGrain<TState>(IPersistentState<TState> state, ILogger logger) : Grain
    where TState : class, new()
{
    /// <summary>The reminder that keeps a stored but not yet made notification alive across a silo's death.</summary>
    protected const string RetryReminder = "portal-notice-retry";

    private TimeProvider? _clock;
    private NoticeRetryOptions? _retryOptions;
    private bool _retryArmed;
    private IGrainTimer? _noticeRetry;

    protected TState State => state.State;

    protected ILogger Logger => logger;

    /// <summary>The host registers <see cref="TimeProvider.System"/>; tests register a controllable clock.</summary>
    protected TimeProvider Clock => _clock ??= ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;

    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected NoticeRetryOptions RetryOptions =>
        _retryOptions ??= ServiceProvider.GetService<IOptions<NoticeRetryOptions>>()?.Value ?? new NoticeRetryOptions();

    /// <summary>
    /// Makes the retry of the notifications a change is about to leave pending durable, before the change is stored:
    /// registers this grain's retry reminder unless this activation already holds it. A burst of changes costs one
    /// registration; the reminder goes once a tick finds nothing pending.
    /// </summary>
    protected async Task ArmRetryAsync()
    {
        if (_retryArmed)
        {
            return;
        }
        await this.RegisterOrUpdateReminder(RetryReminder, RetryOptions.ReminderPeriod, RetryOptions.ReminderPeriod);
        _retryArmed = true;
    }

    /// <summary>
    /// What a grain with durable notifications does on each retry (reminder tick, in-memory retry, activation): makes
    /// what its stored state says is still pending, and answers whether anything still is. Never throws.
    /// </summary>
    protected virtual Task<bool> RetryPendingAsync() => Task.FromResult(false);

    /// <summary>Whether the stored state holds notifications to make (checked on activation).</summary>
    protected virtual bool HasPendingNotices => false;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (HasPendingNotices)
        {
            RetrySoon(TimeSpan.Zero);
        }
        return base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Retries pending notifications in this activation, first after <paramref name="dueTime"/>, until none is left.</summary>
    protected void RetrySoon(TimeSpan? dueTime = null)
    {
        if (_noticeRetry is not null)
        {
            return;
        }
        _noticeRetry = this.RegisterGrainTimer(
            async _ =>
            {
                if (!await RetryPendingAsync())
                {
                    _noticeRetry?.Dispose();
                    _noticeRetry = null;
                }
            },
            new GrainTimerCreationOptions(dueTime ?? RetryOptions.FirstRetry, RetryOptions.RetryPeriod) { Interleave = false, KeepAlive = true });
    }

    /// <summary>The retry reminder's tick: retries, and removes the reminder once nothing is pending.</summary>
    protected async Task OnRetryReminderAsync()
    {
        _retryArmed = true;
        if (await RetryPendingAsync())
        {
            return;
        }
        try
        {
            if (await this.GetReminder(RetryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
            _retryArmed = false;
        }
        catch (Exception failure)
        {
            // It ticks again, finds nothing pending and tries again.
            logger.LogWarning(failure, "Could not remove the notification retry reminder of {Grain}", this.GetGrainId());
        }
    }

    /// <summary>
    /// Stores the state already changed in memory. If storing (or a step that must precede it) fails, the
    /// in-memory state is put back to what is stored, so the grain never answers from a change that was not saved.
    /// </summary>
    protected async Task CommitAsync(Func<Task>? beforeWrite = null)
    {
        try
        {
            if (beforeWrite is not null)
            {
                await beforeWrite();
            }
            await state.WriteStateAsync();
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Storing {Grain} failed; reloading its state", this.GetGrainId());
            try
            {
                await state.ReadStateAsync();
            }
            catch (Exception reloadFailure)
            {
                logger.LogError(reloadFailure, "Reloading {Grain} failed; deactivating it", this.GetGrainId());
                DeactivateOnIdle();
            }
            throw;
        }
    }

    /// <summary>
    /// Tells another grain about a change that is already stored. The change stands even if the other grain
    /// cannot be told (the notifications are idempotent and the next change repeats them), so the failure is
    /// logged rather than turned into a failed command.
    /// </summary>
    protected async Task NotifyAsync(string what, Func<Task> notify) => await TryNotifyAsync(what, notify);

    /// <summary>Like <see cref="NotifyAsync"/>, answering whether the other grain was told.</summary>
    protected async Task<bool> TryNotifyAsync(string what, Func<Task> notify)
    {
        try
        {
            if (ServiceProvider.GetService<INoticeHook>() is { } hook)
            {
                await hook.BeforeNotifyingAsync(this.GetGrainId(), what);
            }
            await notify();
            return true;
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "{Grain} could not {What}", this.GetGrainId(), what);
            return false;
        }
    }
}
