using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Grains;

/// <summary>
/// What every Portal grain shares: its persistent state, the clock, and the rule that a change is acknowledged
/// only once it is stored, with notifications to other grains after that.
/// </summary>
public abstract class PortalGrain<TState>(IPersistentState<TState> state, ILogger logger) : Grain
    where TState : class, new()
{
    private TimeProvider? _clock;

    protected TState State => state.State;

    protected ILogger Logger => logger;

    /// <summary>The host registers <see cref="TimeProvider.System"/>; tests register a controllable clock.</summary>
    protected TimeProvider Clock => _clock ??= ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;

    protected DateTimeOffset Now => Clock.GetUtcNow();

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
    protected async Task NotifyAsync(string what, Func<Task> notify)
    {
        try
        {
            await notify();
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "{Grain} could not {What}", this.GetGrainId(), what);
        }
    }
}
