using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Portal.Domain;
using Portal.Mail;

namespace Portal.Grains;

/// <summary>
/// One shard of the outbox's durable list of undelivered messages (see <see cref="IMailOutboxGrain"/>). It replaces a
/// reminder per message: the shard has ONE reminder for its whole life (registered, at most once per activation,
/// before the shard first stores an id), which resumes every listed message each
/// <see cref="MailDeliveryOptions.PendingCheckInterval"/>, so a message whose grain died between enqueue and
/// delivery is still delivered. Reentrant so that concurrent <see cref="Add"/> calls share one write (group commit);
/// removals are only stored with the next write or after <see cref="RemovalFlushDelay"/>.
/// </summary>
[Reentrant]
public sealed class MailOutboxGrain(
    [PersistentState("mail-outbox", StorageNames.Portal)] IPersistentState<MailOutboxState> state,
    ILogger<MailOutboxGrain> logger)
    : Grain, IMailOutboxGrain, IRemindable
{
    public const string ShardReminder = "mail-outbox";

    /// <summary>How long a removal may wait for a write of its own; a stale id only costs a Resume that answers false.</summary>
    public static readonly TimeSpan RemovalFlushDelay = TimeSpan.FromSeconds(5);

    // Messages resumed at once on a tick.
    private const int ResumeBatch = 100;

    // The in-memory list; the stored state gets a copy at each write, so a write never sees it change mid-way.
    private HashSet<Guid> _ids = [];
    private long _version;        // grows with every change of _ids
    private long _storedVersion;  // the version the last successful write carried
    private Task? _writing;
    private Task? _reminder;
    private IGrainTimer? _flush;

    private MailDeliveryOptions Options => ServiceProvider.GetService<IOptions<MailDeliveryOptions>>()?.Value ?? new MailDeliveryOptions();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ids = [.. state.State.Pending];
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task Add(Guid messageId)
    {
        // The reminder exists before any id is stored, so a stored id is always looked after.
        if (_reminder is null or { IsFaulted: true } or { IsCanceled: true })
        {
            _reminder = this.RegisterOrUpdateReminder(ShardReminder, Options.PendingCheckInterval, Options.PendingCheckInterval);
        }
        await _reminder;
        if (_ids.Add(messageId))
        {
            _version++;
        }
        await PersistAsync(_version);
    }

    public Task Remove(Guid messageId)
    {
        if (_ids.Remove(messageId))
        {
            _version++;
            _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(RemovalFlushDelay, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyCollection<Guid>> Pending() => Task.FromResult<IReadOnlyCollection<Guid>>([.. _ids]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ShardReminder)
        {
            return;
        }
        var finished = new List<Guid>();
        foreach (var batch in _ids.ToList().Chunk(ResumeBatch))
        {
            var answers = await Task.WhenAll(batch.Select(async id => (Id: id, Pending: await ResumeAsync(id))));
            finished.AddRange(answers.Where(a => !a.Pending).Select(a => a.Id));
        }
        foreach (var id in finished)
        {
            await Remove(id);
        }
    }

    private async Task<bool> ResumeAsync(Guid id)
    {
        try
        {
            return await GrainFactory.GetGrain<IMailMessageGrain>(id).Resume();
        }
        catch (Exception failure)
        {
            // Kept: the next tick tries again.
            logger.LogWarning(failure, "Outbox shard {Shard} could not resume message {MessageId}", this.GetPrimaryKeyLong(), id);
            return true;
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _flush?.Dispose();
        _flush = null;
        try
        {
            await PersistAsync(_version);
        }
        catch (Exception failure)
        {
            // The removals stay in memory and go with the next write; a stale id is harmless.
            logger.LogWarning(failure, "Outbox shard {Shard} could not store its removals", this.GetPrimaryKeyLong());
        }
    }

    /// <summary>
    /// Returns once a write that carried <paramref name="version"/> (or a later one) succeeded. One write runs at a
    /// time; callers arriving meanwhile wait for it and then share the next one. A failed write fails only the
    /// callers that started it; the others try again.
    /// </summary>
    private async Task PersistAsync(long version)
    {
        while (_storedVersion < version)
        {
            if (_writing is { IsCompleted: false } inFlight)
            {
                try
                {
                    await inFlight;
                }
                catch
                {
                    // Its own callers see the failure; this caller writes again if it still needs to.
                }
                continue;
            }
            _writing = WriteOnceAsync();
            await _writing;
        }
    }

    private async Task WriteOnceAsync()
    {
        var version = _version;
        state.State.Pending = [.. _ids];
        await state.WriteStateAsync();
        _storedVersion = Math.Max(_storedVersion, version);
    }
}
