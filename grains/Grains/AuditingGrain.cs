using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// A grain whose stored changes belong in a company's audit log (team, API keys, settings). The entry is written with
/// the change (<see cref="OweAudit"/> before <see cref="PortalGrain{TState}.CommitAsync"/>), delivered after it
/// (<see cref="DeliverAuditAsync"/>), and kept until delivered: retried in memory, on the next activation and by the
/// retry reminder if the silo died between the write and the delivery. The log ignores an entry id it already has, so
/// a repeat is harmless; an acknowledged change never loses its audit entry.
/// </summary>
public abstract class AuditingGrain<TState>(IPersistentState<TState> state, ILogger logger)
    : PortalGrain<TState>(state, logger), IRemindable
    where TState : class, IOwesAudit, new()
{
    /// <summary>
    /// Records in memory that the change about to be stored owes an audit entry, named after whoever is acting now
    /// (<see cref="StaffActing"/>), and makes its delivery durable. Call before the commit that stores the change.
    /// </summary>
    protected async Task OweAudit(Guid companyId, string action, string detail)
    {
        State.Owe(companyId, action, detail, StaffActing.Named ?? Actor.System, Now);
        await ArmRetryAsync();
    }

    /// <summary>After the write: delivers what is owed; what fails is retried.</summary>
    protected async Task DeliverAuditAsync()
    {
        if (await TryDeliverAsync())
        {
            RetrySoon();
        }
    }

    /// <summary>Delivers each owed entry in order; answers whether any is still owed. The removal is stored with the next write.</summary>
    private async Task<bool> TryDeliverAsync()
    {
        foreach (var record in State.PendingAudit.ToList())
        {
            if (!await TryNotifyAsync("record the change in the company audit log",
                    () => GrainFactory.GetGrain<ICompanyAuditGrain>(record.CompanyId).Record(record)))
            {
                // Later entries wait, so the log keeps the order the changes were made in.
                break;
            }
            State.PendingAudit.Remove(record);
        }
        return State.PendingAudit.Count > 0;
    }

    protected override bool HasPendingNotices => State.PendingAudit.Count > 0;

    protected override async Task<bool> RetryPendingAsync()
    {
        if (State.PendingAudit.Count == 0)
        {
            return false;
        }
        var pending = await TryDeliverAsync();
        if (!pending)
        {
            // Caught up after a failure or a restart: store that, so the next activation does not deliver again.
            await NotifyAsync("store that its audit entries are delivered", () => CommitAsync());
        }
        return pending;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == RetryReminder ? OnRetryReminderAsync() : Task.CompletedTask;
}
