using Microsoft.Extensions.Options;

namespace Portal.Web.ClientPortal;

/// <summary>
/// Counts the downloads each client has running on this node and refuses one beyond
/// <see cref="DownloadOptions.MaxConcurrentPerClient"/>. A slot is a lease: disposing it gives the slot back,
/// once, however the download ended. A client with nothing running has no entry, so the map only holds
/// clients that are downloading right now.
/// </summary>
public sealed class DownloadSlots(IOptions<DownloadOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, int> _running = [];

    /// <summary>A held slot for the client, or null when it already has the maximum running.</summary>
    public IDisposable? TryTake(Guid clientId)
    {
        lock (_gate)
        {
            var running = _running.GetValueOrDefault(clientId);
            if (running >= options.Value.MaxConcurrentPerClient)
            {
                return null;
            }
            _running[clientId] = running + 1;
        }
        return new Slot(this, clientId);
    }

    /// <summary>How many downloads the client has running on this node.</summary>
    public int RunningFor(Guid clientId)
    {
        lock (_gate)
        {
            return _running.GetValueOrDefault(clientId);
        }
    }

    private void Release(Guid clientId)
    {
        lock (_gate)
        {
            var running = _running.GetValueOrDefault(clientId) - 1;
            if (running <= 0)
            {
                _running.Remove(clientId);
            }
            else
            {
                _running[clientId] = running;
            }
        }
    }

    private sealed class Slot(DownloadSlots owner, Guid clientId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(clientId);
            }
        }
    }
}
