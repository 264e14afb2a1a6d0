using Microsoft.Extensions.Options;

namespace Portal.Web.Live;

/// <summary>Runs the node's presence reports and, on a timer, <see cref="LiveRegistry.RefreshAsync"/>.</summary>
public sealed class LiveRefreshService(
    LiveRegistry registry, PresenceTracker presence, IOptions<LiveOptions> options, TimeProvider clock, ILogger<LiveRefreshService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pump = presence.PumpAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await registry.RefreshAsync(stoppingToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    logger.LogWarning(failure, "Refreshing live subscriptions failed; trying again in {Interval}", options.Value.RefreshInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        try
        {
            await pump;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
