namespace Portal.Tests.Support;

/// <summary>
/// Waiting for something another thread, grain or process does in its own time: the condition is polled, first
/// often and then less (10 ms doubling up to 200 ms), until it holds or the timeout passes, which fails with what
/// was awaited and what was last seen. The timeout is a generous bound for a slow machine, never a claim about
/// speed. A failure thrown by the condition itself ends the wait at once. Linked into every test project from
/// <c>tests/Shared</c>.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), description, timeout);
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await ValueAsync(async () => await condition(), held => held, description, timeout, _ => null);
    }

    /// <summary>
    /// Reads until the value satisfies <paramref name="done"/> and returns that value. On timeout the message shows
    /// the last value read (through <paramref name="show"/> when given).
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string description, TimeSpan? timeout = null, Func<T, string?>? show = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        var pause = FirstPause;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow >= deadline)
            {
                var last = show is null ? value?.ToString() : show(value);
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {description}, in vain{(last is null ? "" : $"; last seen: {last}")}.");
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }
}
