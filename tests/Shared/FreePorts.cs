using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

namespace Portal.Tests.Support;

/// <summary>
/// Loopback ports for servers that must be told their port before they start: Orleans advertises the port it is
/// given, so a silo cannot be handed port 0 (a Kestrel or SMTP listener can, and should be). A port the OS reports
/// free can still be taken by another process before the server binds it, so <see cref="StartAsync{T}"/> starts the
/// server on fresh ports again when the start failed because an address was in use. Within this test process a
/// port is never handed out twice. Linked into every test project from <c>tests/Shared</c>.
/// </summary>
internal static class FreePorts
{
    /// <summary>How many times <see cref="StartAsync{T}"/> tries, each time on ports it has not tried before.</summary>
    public const int StartAttempts = 5;

    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>One port the OS reports free that this process has not handed out before.</summary>
    public static int Take() => Take(1)[0];

    /// <summary><paramref name="count"/> distinct ports the OS reports free that this process has not handed out before.</summary>
    public static int[] Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ports = new List<int>(count);
        // Every listener stays open until all ports are taken, so the OS cannot report one port twice.
        var listeners = new List<TcpListener>();
        try
        {
            while (ports.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.TryAdd(port, true))
                {
                    ports.Add(port);
                }
            }
            return [.. ports];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>
    /// Starts a server on <paramref name="count"/> fresh ports. When the start fails because an address was taken
    /// meanwhile (see <see cref="IsAddressInUse"/>), <paramref name="start"/> is called again with new ports, up to
    /// <see cref="StartAttempts"/> times; <paramref name="start"/> cleans up after its own failed attempt. Any other
    /// failure is passed on at once.
    /// </summary>
    public static async Task<T> StartAsync<T>(int count, Func<int[], Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var attempt = 1; ; attempt++)
        {
            var ports = Take(count);
            try
            {
                return await start(ports);
            }
            catch (Exception failure) when (attempt < StartAttempts && IsAddressInUse(failure))
            {
                // Someone bound one of these ports between Take and the server's own bind: try new ones.
            }
        }
    }

    /// <summary>
    /// Builds a host on <paramref name="count"/> fresh ports and starts it, as <see cref="StartAsync{T}"/> does: a
    /// host whose start failed is stopped and disposed before the next attempt.
    /// </summary>
    public static Task<THost> StartHostAsync<THost>(int count, Func<int[], THost> build)
        where THost : IHost
    {
        ArgumentNullException.ThrowIfNull(build);
        return StartAsync(count, async ports =>
        {
            var host = build(ports);
            try
            {
                await host.StartAsync();
            }
            catch
            {
                await StopQuietlyAsync(host);
                throw;
            }
            return host;
        });
    }

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync();
        }
        catch (Exception)
        {
            // Part of it never started; the failure that matters is the start's own.
        }
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    /// <summary>
    /// Whether the failure (or one it wraps) is a bind refused because the address is in use: a
    /// <see cref="SocketException"/> with <see cref="SocketError.AddressAlreadyInUse"/>, or Kestrel's
    /// <c>AddressInUseException</c>.
    /// </summary>
    public static bool IsAddressInUse(Exception failure)
    {
        var pending = new Stack<Exception>();
        pending.Push(failure);
        while (pending.TryPop(out var current))
        {
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || current.GetType().Name == "AddressInUseException")
            {
                return true;
            }
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
        return false;
    }
}
