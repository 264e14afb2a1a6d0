namespace Portal.Web.Live;

/// <summary>
/// The node's one observer of one grain (a project, a company feed), shared by every connection on this node that
/// needs it. <see cref="NodeSubscriptions{TWatch, TObserver, TResult}"/> holds it strongly (Orleans keeps only a
/// weak reference to observer objects); a subclass says which grain calls subscribe and unsubscribe and, as the
/// observer itself, what to do with the grain's notifications.
/// </summary>
public abstract class NodeWatch<TObserver, TResult>(Guid key)
    where TObserver : class, IGrainObserver
{
    public Guid Key { get; } = key;

    internal HashSet<string> Holders { get; } = new(StringComparer.Ordinal);
    internal TObserver? Reference { get; set; }
    internal Task<TResult> Ready { get; set; } = Task.FromResult(default(TResult)!);

    /// <summary>Before each first subscription (and its retries): what the watch reads once.</summary>
    protected internal virtual Task PrepareAsync(IGrainFactory grains) => Task.CompletedTask;

    /// <summary>Subscribes (or renews) the node's observer reference on the grain.</summary>
    protected internal abstract Task<TResult> SubscribeAsync(IGrainFactory grains, TObserver reference);

    /// <summary>After the first subscription answered.</summary>
    protected internal virtual void Subscribed(TResult result)
    {
    }

    protected internal abstract Task UnsubscribeAsync(IGrainFactory grains, TObserver reference);

    /// <summary>After a renewal answered: a place to catch up on what a lost notification would have said.</summary>
    protected internal virtual Task RenewedAsync(TResult result, CancellationToken cancellationToken) => Task.CompletedTask;

    internal TObserver Self => this as TObserver
        ?? throw new InvalidOperationException($"{GetType().Name} must implement {typeof(TObserver).Name}.");
}

/// <summary>
/// One kind of node-wide grain subscription, reference-counted by this node's connections: the first holder of a
/// key subscribes, the last one to leave unsubscribes, <see cref="RenewAllAsync"/> renews every subscription before
/// the grains let it expire and retries those that failed. Used for projects and for company feeds alike.
/// </summary>
public sealed class NodeSubscriptions<TWatch, TObserver, TResult>(
    string kind,
    Func<Guid, TWatch> create,
    IGrainFactory grains,
    LiveMetrics metrics,
    ILogger logger)
    where TWatch : NodeWatch<TObserver, TResult>
    where TObserver : class, IGrainObserver
{
    private static readonly TimeSpan ReferenceGrace = TimeSpan.FromSeconds(5);
    private const int RenewInParallel = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, TWatch> _watches = [];

    /// <summary>How many keys the node subscribes to now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>How many holders share the key's subscription (0 when the node does not subscribe to it).</summary>
    public int HoldersOf(Guid key)
    {
        lock (_gate)
        {
            return _watches.TryGetValue(key, out var watch) ? watch.Holders.Count : 0;
        }
    }

    /// <summary>
    /// Adds <paramref name="holder"/> to the key's holders, subscribing the node if it is the first, and returns the
    /// watch with its subscription (awaited by the caller; a failed one is retried by the next renewal while it is
    /// held). Adding a holder twice holds once.
    /// </summary>
    public (TWatch Watch, Task<TResult> Ready) Acquire(Guid key, string holder)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(key, out var watch))
            {
                watch = create(key);
                _watches[key] = watch;
                metrics.Watching(kind, +1);
                watch.Ready = StartAsync(watch);
            }
            watch.Holders.Add(holder);
            return (watch, watch.Ready);
        }
    }

    /// <summary>Removes a holder; the last one out unsubscribes the node.</summary>
    public async Task ReleaseAsync(Guid key, string holder)
    {
        TWatch? released = null;
        lock (_gate)
        {
            if (_watches.TryGetValue(key, out var watch) && watch.Holders.Remove(holder) && watch.Holders.Count == 0)
            {
                _watches.Remove(key);
                metrics.Watching(kind, -1);
                released = watch;
            }
        }
        if (released is not null)
        {
            await StopAsync(released);
        }
    }

    /// <summary>Renews every settled subscription and starts again those that failed.</summary>
    public async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        List<TWatch> watches;
        lock (_gate)
        {
            watches = [.. _watches.Values];
        }
        await Parallel.ForEachAsync(watches, new ParallelOptions { MaxDegreeOfParallelism = RenewInParallel, CancellationToken = cancellationToken }, async (watch, token) =>
        {
            if (!watch.Ready.IsCompletedSuccessfully)
            {
                if (watch.Ready.IsCompleted)
                {
                    Retry(watch);
                }
                return;
            }
            try
            {
                var result = await watch.SubscribeAsync(grains, watch.Reference!);
                await watch.RenewedAsync(result, token);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !token.IsCancellationRequested)
            {
                logger.LogWarning(failure, "Could not renew the subscription to {Kind} {Key}", kind, watch.Key);
            }
        });
    }

    private async Task<TResult> StartAsync(TWatch watch)
    {
        // Not under the caller's lock: the grain call runs after Acquire returned.
        await Task.Yield();
        await watch.PrepareAsync(grains);
        watch.Reference ??= grains.CreateObjectReference<TObserver>(watch.Self);
        var result = await watch.SubscribeAsync(grains, watch.Reference);
        metrics.Subscribed(kind);
        watch.Subscribed(result);
        return result;
    }

    private void Retry(TWatch watch)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(watch.Key, out var current) && current == watch && watch.Ready.IsFaulted)
            {
                watch.Ready = StartAsync(watch);
            }
        }
    }

    /// <summary>
    /// Unsubscribes once the subscription has settled (a subscription that failed has nothing to undo) and always
    /// deletes the observer reference (read after the subscription settled: the subscribing call creates it). A
    /// failed unsubscribe is only logged: the grain drops the observer at its expiry anyway.
    /// </summary>
    private async Task StopAsync(TWatch watch)
    {
        try
        {
            try
            {
                await watch.Ready;
            }
            catch
            {
                return;
            }
            await watch.UnsubscribeAsync(grains, watch.Reference!);
            metrics.Unsubscribed(kind);
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Could not unsubscribe from {Kind} {Key}", kind, watch.Key);
        }
        finally
        {
            DeleteReference(watch.Reference);
        }
    }

    private void DeleteReference(TObserver? reference)
    {
        if (reference is null)
        {
            return;
        }
        // One-way notifications sent before the grain saw the unsubscribe may still be on their way; deleting the
        // reference at once would make the runtime log them as misaddressed.
        _ = Task.Delay(ReferenceGrace).ContinueWith(_ =>
        {
            try
            {
                grains.DeleteObjectReference<TObserver>(reference);
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not delete an observer reference");
            }
        }, TaskScheduler.Default);
    }
}
