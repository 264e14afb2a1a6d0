using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Portal.Web.Auth;

/// <summary>
/// Counts failed credentials per client network (link entries, sign-ins, API keys, hub access tokens) so guessing
/// gets a 429 after a few tries. Only failures count and only failures are refused: a valid link, key or token always
/// gets in, so one network's bad attempts (or everyone's, behind a proxy Portal was not told about) never lock out the people with good ones.
/// IPv6 addresses count per /64, the block one subscriber usually holds. A fixed window per network; old windows
/// are dropped as they are met.
/// </summary>
public sealed class FailureLimiter(TimeProvider clock)
{
    /// <summary>The key failures are counted under: the IPv4 address, or the IPv6 /64 it sits in.</summary>
    public static string NetworkOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

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
