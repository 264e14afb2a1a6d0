using System.Collections.Concurrent;

namespace Portal.Web.ClientPortal;

/// <summary>
/// Counts failed link entries per client address so guessing tokens gets a 429 after a few tries.
/// A fixed window per address; old windows are dropped as they are met.
/// </summary>
public sealed class LinkFailureLimiter(TimeProvider clock)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool IsBlocked(string address)
    {
        var now = clock.GetUtcNow();
        return _entries.TryGetValue(address, out var entry) && now - entry.WindowStart < Window && entry.Failures >= MaxFailures;
    }

    public void RecordFailure(string address)
    {
        var now = clock.GetUtcNow();
        _entries.AddOrUpdate(address,
            _ => new Entry(now, 1),
            (_, old) => now - old.WindowStart >= Window ? new Entry(now, 1) : old with { Failures = old.Failures + 1 });
        if (_entries.Count > 10_000)
        {
            foreach (var (key, entry) in _entries)
            {
                if (now - entry.WindowStart >= Window)
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed record Entry(DateTimeOffset WindowStart, int Failures);
}
