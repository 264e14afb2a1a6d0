using Microsoft.Extensions.Logging;

namespace Portal.Silo.Hosting;

/// <summary>
/// A web node may start before any silo: keep retrying the first connection (with a capped back-off) instead of
/// failing, and log every failed attempt so a misconfigured cluster is visible.
/// </summary>
internal sealed class RetryUntilClusterIsUp(ILogger<RetryUntilClusterIsUp> logger, TimeProvider timeProvider) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempt);
        var delay = TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, 500 * attempt));
        logger.LogWarning(exception, "Connecting to the Orleans cluster failed (attempt {Attempt}); retrying in {Delay}", attempt, delay);
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Stopped retrying the cluster connection: the host is shutting down");
            return false;
        }
    }
}
